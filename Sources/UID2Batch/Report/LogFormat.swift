import Foundation

/// Line format for log lines.
package enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}
