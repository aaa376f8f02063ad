import Crypto
import UID2

/// Why a refresh token body could not be opened, in the operator's order of checks.
enum RefreshTokenProblem: Error, Equatable {
    case notBase64
    case unknownKey(Int32)
    case undecryptable
    case badFormat
}
