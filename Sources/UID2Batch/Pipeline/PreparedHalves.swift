import Dispatch
import UID2

/// The results of the halves of a batch prepared in parallel; each slot is written by one thread
/// and read after all have finished.
final class PreparedHalves: @unchecked Sendable {
    private var results: [Result<[PreparedRow<HashedIdentity>], any Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ part: Int, _ result: Result<[PreparedRow<HashedIdentity>], any Error>) { results[part] = result }
    func take(_ part: Int) throws -> [PreparedRow<HashedIdentity>] { try results[part].unsafelyUnwrapped.get() }
}
