import Foundation
import Testing
import UID2
import UID2Simulator
@testable import UID2Batch

@Suite("a refused batch is split until the refused row is alone, and no further than the refusal goes")
struct OperatorClientSplitTests {
    /// The simulator refuses any request holding one identity with a message that names none, so
    /// the row alone gets its batch's refusal: it is held as unanswered, every other row mapped.
    @Test(arguments: [0, 1, 6, 12])
    func onlyTheRefusedRowGetsTheRefusal(offending: Int) async throws {
        let identities = (0..<13).map { HashedIdentity(type: .email, hash: IdentityHash.sha256Base64("u\($0)@example.com")) }
        var config = SimulatorConfig.throwaway()
        config.faults.rejectedIdentityHashes = [identities[offending].hash.description]
        let core = OperatorCore(config: config)
        let client = OperatorClient(
            config: OperatorClientConfig(baseURL: "http://127.0.0.1:9", environmentLabel: "test", apiKey: config.apiKey, clientSecret: config.clientSecret),
            transport: CoreTransport(core: core), gate: RequestGate()
        )
        let result = try await client.send(MapEndpoint(), identities[...])
        #expect(result.outcomes.count == identities.count)
        for (index, outcome) in result.outcomes.enumerated() {
            if index == offending {
                #expect(outcome.errorCode == .retriesExhausted)
                #expect(outcome.exhaustedCause?.contains("names no identity") == true)
            } else {
                #expect(outcome == .result(.mapped(MappedIdentity(
                    rawUID2: config.tokens.rawUID2(forIdentityHash: identities[index].hash.description, type: .email),
                    previousRawUID2: config.tokens.previousRawUID2(forIdentityHash: identities[index].hash.description, type: .email),
                    refreshAfter: { if case let .result(.mapped(m)) = outcome { return m.refreshAfter }; return -1 }()
                ))))
            }
        }
        #expect(result.splits > 0)
        #expect(result.splits <= 2 * 4)
    }

    /// Something in front of the operator answers 400 to every request: the batch is split down
    /// to one row once (about log2 of its size), the ranges left are sent once each, and no row
    /// counts as answered, so the run does not complete as if the rows had been refused.
    @Test(arguments: [2, 270, 5_000])
    func aRefusalOfEveryRequestCostsALogarithmicNumberOfRequests(rows: Int) async throws {
        let identities = (0..<rows).map { HashedIdentity(type: .email, hash: IdentityHash.sha256Base64("u\($0)@example.com")) }
        let config = SimulatorConfig.throwaway()
        let transport = CoreTransport(core: OperatorCore(config: config)) { _ in .status(400) }
        let client = OperatorClient(
            config: OperatorClientConfig(baseURL: "http://127.0.0.1:9", environmentLabel: "test", apiKey: config.apiKey, clientSecret: config.clientSecret),
            transport: transport, gate: RequestGate()
        )
        let result = try await client.send(MapEndpoint(), identities[...])
        #expect(result.outcomes.count == rows)
        #expect(result.outcomes.allSatisfy { $0.exhaustedCause?.contains("names no identity") == true })
        #expect(result.answered == 0 && result.refusals == 0)
        let depth = Int(log2(Double(rows)).rounded(.up))
        #expect(transport.requests <= 2 * depth + 1, "\(transport.requests) requests for \(rows) rows")
    }
}
