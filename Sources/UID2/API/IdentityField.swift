/// The request fields an identity is sent in (spec §2.1, §7.1): raw or hashed, email or phone.
package enum IdentityField: String, CaseIterable, Sendable {
    case email
    case emailHash = "email_hash"
    case phone
    case phoneHash = "phone_hash"

    /// The field of a hashed identity of `type`.
    package static func hashed(_ type: IdentityType) -> IdentityField {
        switch type {
        case .email: .emailHash
        case .phone: .phoneHash
        }
    }

    /// The identity type the field carries.
    package var type: IdentityType {
        switch self {
        case .email, .emailHash: .email
        case .phone, .phoneHash: .phone
        }
    }

    /// Whether the field carries a hash (base64 SHA-256) rather than a raw value.
    package var isHashed: Bool { self == .emailHash || self == .phoneHash }
}
