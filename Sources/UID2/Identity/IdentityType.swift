/// The kind of directly identifying information a UID2 token is generated from.
public enum IdentityType: String, Sendable, Hashable, CaseIterable, Codable, CodingKeyRepresentable {
    case email
    case phone
}
