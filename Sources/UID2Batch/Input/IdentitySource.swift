import UID2

/// A kind of input column an identity can come from.
package enum IdentitySource: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    case email
    case emailHash = "email_hash"
    case phone
    case phoneHash = "phone_hash"

    /// The default order in which a row's identities are tried.
    package static let defaultPriority: [IdentitySource] = [.email, .emailHash, .phone, .phoneHash]

    /// The identity type this column yields.
    package var identityType: IdentityType {
        switch self {
        case .email, .emailHash: .email
        case .phone, .phoneHash: .phone
        }
    }

    /// Header names recognised for this source (compared case-insensitively, spaces trimmed).
    var headerNames: [String] {
        switch self {
        case .email: ["email", "email_address"]
        case .emailHash: ["email_hash"]
        case .phone: ["phone", "phone_number"]
        case .phoneHash: ["phone_hash"]
        }
    }

    /// The option that names this column explicitly.
    package var optionName: String { "--\(rawValue.replacingOccurrences(of: "_", with: "-"))-column" }
}
