import Foundation
import UID2

/// The routes the simulated operator serves.
enum OperatorRoute {
    case tokenGenerate
    case tokenRefresh
    case identityMap
    case optoutStatus
    case keySharing
    case healthcheck

    init?(path: String) {
        switch OperatorPath(rawValue: path) {
        case .tokenGenerate: self = .tokenGenerate
        case .tokenRefresh: self = .tokenRefresh
        case .identityMap: self = .identityMap
        case .optoutStatus: self = .optoutStatus
        case .keySharing: self = .keySharing
        case .healthcheck: self = .healthcheck
        case .identityMapV2, nil: return nil
        }
    }

    var method: String {
        switch self {
        case .tokenGenerate, .tokenRefresh, .identityMap, .optoutStatus, .keySharing: return "POST"
        case .healthcheck: return "GET"
        }
    }

    /// The roles of which a bearer key needs one before anything else is looked at; `nil` = none.
    var allowedRoles: Set<SimulatorRole>? {
        switch self {
        case .tokenGenerate: return [.generator]
        case .identityMap: return [.mapper]
        case .optoutStatus: return [.mapper, .sharer, .idReader]
        case .keySharing: return [.sharer, .idReader]
        case .tokenRefresh, .healthcheck: return nil
        }
    }
}
