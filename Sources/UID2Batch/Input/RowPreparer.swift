import UID2

/// Turns a row's identity candidates into one normalized, hashed identity or a ``RowError``.
///
/// The first valid candidate in priority order wins. When none is valid, the error names each
/// non-empty candidate's problem (never its value) and takes its code from the first of them.
/// Normalizes into stack scratch space: nothing is allocated per row but the digest.
struct RowPreparer {
    private let sources: [IdentitySource]
    private let fieldIndices: [Int]

    init(layout: ColumnLayout) {
        sources = layout.candidates.map(\.source)
        fieldIndices = layout.candidates.map(\.index)
    }

    /// Prepares the row whose fields `fields` holds; on success writes the 44 hash bytes to `hash`
    /// and gives the kind of column the identity came from.
    func prepare(_ fields: CSVFieldSplitter, hash: UnsafeMutablePointer<UInt8>) -> Result<IdentitySource, RowError> {
        var firstProblem: (code: RowErrorCode, message: String)?
        var problems: [String] = []
        for (position, source) in sources.enumerated() {
            switch prepare(fields[fieldIndices[position]], as: source, hash: hash) {
            case .valid:
                return .success(source)
            case .empty:
                continue
            case let .invalid(code, message):
                if firstProblem == nil { firstProblem = (code, message) }
                problems.append(message)
            }
        }
        guard let firstProblem else {
            let names = sources.map(\.rawValue).joined(separator: ", ")
            return .failure(RowError(code: .noIdentity, message: "no identity: \(names) empty"))
        }
        return .failure(RowError(code: firstProblem.code, message: problems.joined(separator: "; ")))
    }

    private enum Candidate {
        case valid
        case empty
        case invalid(code: RowErrorCode, message: String)
    }

    private func prepare(_ field: UnsafeBufferPointer<UInt8>, as source: IdentitySource, hash: UnsafeMutablePointer<UInt8>) -> Candidate {
        guard !field.isEmpty else { return .empty }
        guard Self.isValidUTF8(field) else {
            return .invalid(code: .invalidEncoding, message: "\(source.rawValue) is not valid UTF-8")
        }
        switch source {
        case .email:
            let valid = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: field.count) { normalized -> Bool in
                guard let base = normalized.baseAddress, let length = EmailNormalizer.normalize(field, into: base) else {
                    return false
                }
                IdentityHash.hash(UnsafeRawBufferPointer(start: base, count: length), into: hash)
                return true
            }
            return valid ? .valid : .invalid(code: .invalidEmail, message: "email is not a valid address")
        case .phone:
            guard PhoneNormalizer.isNormalized(field) else {
                return .invalid(code: .invalidPhone, message: "phone is not E.164 (+ then 10 to 15 digits, nothing else)")
            }
            IdentityHash.hash(UnsafeRawBufferPointer(field), into: hash)
            return .valid
        case .emailHash, .phoneHash:
            guard IdentityHash.canonicalize(field, into: hash) else {
                return .invalid(code: .invalidHash, message: "\(source.rawValue) is not a SHA-256 hash (44-character base64 or 64 hex digits)")
            }
            return .valid
        }
    }

    @inline(__always)
    private static func isValidUTF8(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = field.baseAddress else { return true }
        var index = 0
        var ascii = true
        while ascii && index + 8 <= field.count {
            ascii = ByteScan.load(base + index) & 0x8080_8080_8080_8080 == 0
            index += 8
        }
        while ascii && index < field.count {
            ascii = base[index] < 0x80
            index += 1
        }
        return ascii || String(validating: field, as: UTF8.self) != nil
    }
}
