/// Sends one HTTP POST and returns the whole response: the seam between the token client and the network.
///
/// The live implementation is ``HTTPClientTransport``; tests inject a scripted fake. A transport
/// never retries and never interprets status codes: any complete HTTP response, 4xx and 5xx
/// included, is returned, and only failures to get one are thrown.
package protocol Transport: Sendable {
    /// Sends `request` and waits for the complete response, for at most `timeout`.
    ///
    /// - Throws: ``TransportError`` when no complete response arrived; ``TransportError/cancelled``
    ///   when the calling task was cancelled.
    func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse
}
