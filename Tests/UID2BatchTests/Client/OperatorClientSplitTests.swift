import Testing
import UID2
import UID2Simulator
@testable import UID2Batch

@Suite("a refused batch is split until the refused row is alone")
struct OperatorClientSplitTests {
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
                #expect(outcome.errorCode == .clientError)
            } else {
                #expect(outcome == .mapped(MappedIdentity(
                    rawUID2: config.tokens.rawUID2(forIdentityHash: identities[index].hash.description, type: .email),
                    previousRawUID2: config.tokens.previousRawUID2(forIdentityHash: identities[index].hash.description, type: .email),
                    refreshAfter: { if case let .result(.mapped(m)) = outcome { return m.refreshAfter }; return -1 }()
                )))
            }
        }
        #expect(result.splits > 0)
        #expect(result.splits <= 2 * 4)
    }
}
