/// A growable byte buffer meant to be reused rather than reallocated.
///
/// The hash pipeline cycles a fixed set of these between the task that reads and writes and the
/// tasks that format, so a long run works in the same few pages instead of faulting in fresh
/// ones for every batch. A buffer is used by one task at a time and handed over whole between
/// tasks, which is what makes sharing it safe.
final class ReusableBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes in the buffer.
    private(set) var count = 0
    /// Bytes the buffer can hold before it must grow.
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes in the buffer; valid until it is next changed.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Empties the buffer, keeping its memory.
    func removeAll() {
        count = 0
    }

    /// Appends `bytes`.
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(toFit: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Lets `body` write at most `maximum` bytes at the end of the buffer; `body` returns how
    /// many it wrote.
    @inline(__always)
    func append(atMost maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        if count + maximum > capacity { grow(toFit: count + maximum) }
        let written = body(UnsafeMutableBufferPointer(start: base + count, count: maximum))
        precondition(written >= 0 && written <= maximum, "wrote more than reserved")
        count += written
    }

    private func grow(toFit needed: Int) {
        capacity = max(needed, capacity * 2)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
    }
}
