/// Text from the other side of the network (an operator's error message, a proxy's page) as the
/// tool shows it: printable characters only, whitespace collapsed, at most ``limit`` characters,
/// and every run that looks like a key, a token or a secret (32 or more base64 or base64url
/// characters mixing upper case, lower case and digits) replaced by `[redacted]`. An error page
/// that repeats the request (some proxies and gateways do) can then never put the API key or a
/// refresh token into the errors file, the logs or the summary.
enum PeerText {
    /// The most characters shown.
    static let limit = 200
    /// The shortest run taken for a secret.
    static let secretRun = 32

    /// `text` as shown, or `nil` when nothing printable is left.
    static func shown(_ text: String) -> String? {
        var out: [UInt8] = []
        var run: [UInt8] = []
        var lastWasSpace = true
        func endRun() {
            guard !run.isEmpty else { return }
            out += looksSecret(run) ? Array("[redacted]".utf8) : run
            run.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            if isTokenByte(byte) {
                run.append(byte)
                lastWasSpace = false
                continue
            }
            endRun()
            if byte <= 0x20 || byte == 0x7F {
                if !lastWasSpace { out.append(0x20) }
                lastWasSpace = true
            } else {
                out.append(byte)
                lastWasSpace = false
            }
        }
        endRun()
        while out.last == 0x20 { out.removeLast() }
        guard !out.isEmpty else { return nil }
        let shown = String(decoding: out, as: UTF8.self)
        return shown.count > limit ? String(shown.prefix(limit)) + "…" : shown
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// Long, and mixing upper case, lower case and digits as random base64 does (words, paths and
    /// URLs of the operator's own messages do not).
    private static func looksSecret(_ run: [UInt8]) -> Bool {
        guard run.count >= secretRun else { return false }
        let upper = run.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        let lower = run.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        let digit = run.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return upper && lower && digit
    }
}
