import ArgumentParser
import Dispatch
import Foundation
import UID2Batch

/// A command-level failure with its exit code and message.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    let code: Int32
    init(_ description: String, code: Int32) {
        self.description = description
        self.code = code
    }
}
