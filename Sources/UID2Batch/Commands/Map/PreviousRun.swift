import Foundation
import UID2

/// An earlier run's output (`--previous`), indexed by key columns so that rows whose result is
/// still good are copied through without a request.
///
/// Memory: one 24-byte slot per previous row (a 64-bit fingerprint of the key columns, a 64-bit
/// fingerprint of the identity hash, and where the line is in the file), in an open-addressing
/// table at most 3/4 full: about 32 bytes a row. Lines are read back from the file when copied.
final class PreviousRun: @unchecked Sendable {
    private var slots: UnsafeMutableBufferPointer<Slot>
    private var mask: Int
    private let file: InputFile
    private let path: String
    /// Rows indexed (copyable or not).
    private(set) var count = 0

    private struct Slot {
        /// 0 = empty.
        var keys: UInt64
        var hash: UInt64
        /// Offset in the low 40 bits, line length in the high 24; a length of 0 = not copyable.
        var location: UInt64
    }

    /// Why a previous file cannot be used: a usage error (exit 2), never a silent full run.
    static func unusable(_ path: String, _ problem: String) -> BatchError {
        .previousUnusable(path: path, problem: problem)
    }

    /// Indexes `path`, an earlier output of `mode` whose header is `expectedHeader`; rows count as
    /// copyable when `isCopyable` accepts their fields (status and times, by column index).
    init(
        path: String, expectedHeader: [String], keyCount: Int, hashColumn: Int,
        isCopyable: (CSVFieldSplitter) -> Bool
    ) throws(BatchError) {
        self.path = path
        let input: InputFile
        do {
            input = try InputFile(name: path)
        } catch {
            guard case let .inputUnreadable(_, reason) = error else { throw Self.unusable(path, "cannot be read") }
            throw Self.unusable(path, "cannot be read: \(reason)")
        }
        guard input.size != nil else { throw Self.unusable(path, "must be a regular file (it is read back when rows are copied)") }
        file = input
        let estimate = max(16, Int(input.size ?? 0) / 100)
        var capacity = 16
        while capacity < estimate * 4 / 3 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(keys: 0, hash: 0, location: 0))
        mask = capacity - 1
        var reader = CSVReader(input: input, delimiter: .comma)
        let fields = CSVFieldSplitter(delimiter: UInt8(ascii: ","), fieldCapacity: expectedHeader.count + 1)
        guard case let .record(header) = try reader.nextRecord() else { throw Self.unusable(path, "is empty") }
        fields.split(header)
        let names = (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) }
        guard names == expectedHeader else {
            throw Self.unusable(path, "is not an output of this command with the same key columns (its header differs)")
        }
        while true {
            let record: UnsafeBufferPointer<UInt8>
            switch try reader.nextRecord() {
            case .end:
                return
            case .malformed:
                throw Self.unusable(path, "has a line that cannot be read at offset \(reader.recordStartOffset)")
            case let .record(bytes):
                record = bytes
            }
            fields.split(record)
            guard fields.count == expectedHeader.count else {
                throw Self.unusable(path, "has a line with \(fields.count) fields at offset \(reader.recordStartOffset)")
            }
            let keys = Self.keyFingerprint(fields, keyIndices: 1...keyCount)
            let length = isCopyable(fields) && record.count < 1 << 24 ? UInt64(record.count) : 0
            let location = UInt64(reader.recordStartOffset) | length << 40
            try insert(Slot(keys: keys, hash: Self.fingerprint(fields[hashColumn]), location: location))
        }
    }

    deinit {
        slots.deallocate()
    }

    private func insert(_ slot: Slot) throws(BatchError) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var index = Int(truncatingIfNeeded: slot.keys) & mask
        while slots[index].keys != 0 {
            if slots[index].keys == slot.keys {
                throw Self.unusable(path, "has two rows with the same key columns; --previous needs key columns that identify a row")
            }
            index = (index + 1) & mask
        }
        slots[index] = slot
        count += 1
    }

    private func grow() {
        let old = slots
        let capacity = old.count * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(keys: 0, hash: 0, location: 0))
        let newMask = capacity - 1
        for slot in old where slot.keys != 0 {
            var index = Int(truncatingIfNeeded: slot.keys) & newMask
            while slots[index].keys != 0 { index = (index + 1) & newMask }
            slots[index] = slot
        }
        old.deallocate()
        mask = newMask
    }

    /// The previous line of the row with these key fields and identity hash, when it is copyable:
    /// `row,<rest>` as written, without its line break.
    func line(keys: UInt64, identityHash: UnsafeBufferPointer<UInt8>) throws(BatchError) -> [UInt8]? {
        var index = Int(truncatingIfNeeded: keys) & mask
        while slots[index].keys != 0 {
            if slots[index].keys == keys {
                let slot = slots[index]
                let length = Int(slot.location >> 40)
                guard length > 0, slot.hash == Self.fingerprint(identityHash) else { return nil }
                return try file.read(count: length, at: Int64(slot.location & (1 << 40 - 1)))
            }
            index = (index + 1) & mask
        }
        return nil
    }

    /// A 64-bit fingerprint of the key fields (never 0).
    static func keyFingerprint(_ fields: CSVFieldSplitter, keyIndices: some Sequence<Int>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in keyIndices {
            hash = fnv(fields[index], into: hash)
            hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        return hash == 0 ? 1 : hash
    }

    static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        fnv(bytes, into: 0xcbf2_9ce4_8422_2325)
    }

    @inline(__always)
    private static func fnv(_ bytes: UnsafeBufferPointer<UInt8>, into seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
