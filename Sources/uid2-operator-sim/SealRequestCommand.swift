import ArgumentParser
import Foundation
import UID2

/// `uid2-operator-sim seal-request`: prints a request envelope, for curl, wrk and the README demo.
struct SealRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal-request",
        abstract: "Print a base64 v2 request envelope for a JSON body, stamped now.",
        discussion: """
            Example: curl -H "Authorization: Bearer $KEY" --data "$(uid2-operator-sim seal-request \\
            --client-secret "$SECRET" --json '{"email":"user@example.com"}')" http://127.0.0.1:PORT/v2/token/generate
            The answer is encrypted; the nonce is random and not printed.
            """
    )

    @Option(help: "Client secret, base64 of 32 bytes.")
    var clientSecret: String

    @Option(help: "Request JSON.")
    var json = #"{"email":"user@example.com"}"#

    @Option(name: .customLong("timestamp-ms"), help: "Request time in Unix ms (default: now).")
    var timestampMillis: Int64?

    func run() throws {
        let secret: ClientSecret
        do {
            secret = try ClientSecret(base64: clientSecret)
        } catch {
            throw ValidationError("--client-secret: \(error)")
        }
        let now = timestampMillis ?? Int64(Date().timeIntervalSince1970 * 1000)
        let nonce = (0..<8).map { _ in UInt8.random(in: 0...255) }
        let envelope = try RequestEnvelope.seal(json: Array(json.utf8), secret: secret, timestampMillis: now, nonce: nonce)
        print(Base64.encode(envelope))
    }
}
