import Foundation
import UID2

/// The routes the simulated operator serves.
enum OperatorRoute {
    case tokenGenerate
    case tokenRefresh
    case identityMap
    case healthcheck

    init?(path: String) {
        switch OperatorPath(rawValue: path) {
        case .tokenGenerate: self = .tokenGenerate
        case .tokenRefresh: self = .tokenRefresh
        case .identityMap: self = .identityMap
        case .healthcheck: self = .healthcheck
        case .identityMapV2, nil: return nil
        }
    }

    var method: String {
        switch self {
        case .tokenGenerate, .tokenRefresh, .identityMap: return "POST"
        case .healthcheck: return "GET"
        }
    }

    /// The role a bearer key needs before anything else is looked at; `nil` = none.
    var requiredRole: SimulatorRole? {
        switch self {
        case .tokenGenerate: return .generator
        case .identityMap: return .mapper
        case .tokenRefresh, .healthcheck: return nil
        }
    }
}
