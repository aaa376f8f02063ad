import Crypto

/// HMAC-SHA256 under one fixed key, with the key's inner and outer pad blocks hashed once: each
/// code then costs two SHA-256 finalizations and no key setup, which matters when a map request
/// asks for 5,000 of them. Gives the same codes as `HMAC<SHA256>` (RFC 2104).
struct PrekeyedHMAC: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    /// `key` must be at most one SHA-256 block (64 bytes), as every simulator key is.
    init(key: SymmetricKey) {
        var innerPad = [UInt8](repeating: 0x36, count: 64)
        var outerPad = [UInt8](repeating: 0x5C, count: 64)
        key.withUnsafeBytes { bytes in
            precondition(bytes.count <= 64, "PrekeyedHMAC takes keys of at most 64 bytes")
            for (index, byte) in bytes.enumerated() {
                innerPad[index] ^= byte
                outerPad[index] ^= byte
            }
        }
        var inner = SHA256()
        innerPad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        var outer = SHA256()
        outerPad.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    /// The 32-byte code of `message`, handed to `body`.
    func withCode<Result>(for message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var inner = self.inner
        inner.update(bufferPointer: message)
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize().withUnsafeBytes(body)
    }
}
