import UID2

/// The sharing keys of a run (spec §13.8): fetched once at the start, and again before a batch
/// once an hour has passed since the last fetch, or once the keys that encrypt now have stopped
/// being active (rotated keys arrive only with a fetch). A fetch that fails while the keys in
/// hand still serve is reported and tried again a minute later; when they no longer serve, the
/// run stops.
///
/// Lives on the parent task. The keys are never written anywhere.
struct SharingKeyRing {
    /// Fetch again after this long, as the docs ask of long-running processes.
    static let refreshMillis: Int64 = 3_600_000
    /// After a failed fetch, wait this long before the next try.
    static let retryMillis: Int64 = 60_000

    /// What the keys must be able to do.
    enum Purpose {
        case encrypt
        case decrypt
    }

    let purpose: Purpose
    private let client: OperatorClient
    private let session: RunSession
    private(set) var keys: SharingKeys
    /// When the next fetch is due (Unix ms).
    private var dueMillis: Int64
    /// Fetches made in this run.
    private(set) var fetches = 0

    /// Fetches the keys and checks that they serve `purpose` now.
    init(purpose: Purpose, client: OperatorClient, session: RunSession) async throws {
        self.purpose = purpose
        self.client = client
        self.session = session
        let now = client.nowMillis()
        keys = try await Self.fetch(client: client, session: session)
        fetches = 1
        dueMillis = 0
        dueMillis = nextDue(after: now)
        if let problem = problem(at: now) { throw RunAbort.sharingKeysUnusable(problem: problem) }
    }

    /// The keys to use now, fetched again first when due.
    mutating func current() async throws(RunAbort) -> (keys: SharingKeys, nowMillis: Int64) {
        let now = client.nowMillis()
        guard now >= dueMillis else { return (keys, now) }
        do {
            keys = try await Self.fetch(client: client, session: session)
            fetches += 1
            dueMillis = nextDue(after: now)
            session.observer.notice("sharing keys fetched again (\(fetches) fetches in this run)")
        } catch {
            guard problem(at: now) == nil else { throw error }
            dueMillis = now + Self.retryMillis
            session.observer.notice("could not fetch the sharing keys again (\(error)); the keys in hand still serve and are used")
        }
        if let problem = problem(at: now) { throw .sharingKeysUnusable(problem: problem) }
        return (keys, now)
    }

    /// Why the keys cannot serve the purpose at `now`, or `nil`.
    private func problem(at now: Int64) -> String? {
        switch purpose {
        case .encrypt:
            do {
                _ = try SharingTokenEncrypter(keys: keys, nowMillis: now)
                return nil
            } catch {
                return error.description
            }
        case .decrypt:
            return keys.isSynced(atMillis: now) ? nil : SharingEncryptionError.keysNotSynced.description
        }
    }

    /// The next fetch: an hour on, or when the keys that encrypt stop being active, if sooner.
    private func nextDue(after now: Int64) -> Int64 {
        let hourly = now + Self.refreshMillis
        guard purpose == .encrypt, let expiry = keys.encryptingKeysExpire(afterMillis: now) else { return hourly }
        return min(hourly, expiry)
    }

    /// One request to `/v2/key/sharing`, with the client's retries; its counters go to the run's.
    private static func fetch(client: OperatorClient, session: RunSession) async throws(RunAbort) -> SharingKeys {
        let result: RequestResult<RowOutcome<SharingKeys>>
        do {
            result = try await client.send(KeySharingEndpoint(), [KeySharingEndpoint.Request()])
        } catch let abort as RunAbort {
            throw abort
        } catch {
            throw .sharingKeysUnavailable(cause: "the request was cancelled")
        }
        session.addRequestCounters(attempts: Int64(result.attempts), retries: Int64(result.retries), throttled: Int64(result.throttled))
        switch result.outcomes.first {
        case let .result(keys)?: return keys
        case let .rejected(_, message)?: throw .sharingKeysUnavailable(cause: "the operator refused the request (\(message))")
        case let .retriesExhausted(cause)?: throw .sharingKeysUnavailable(cause: cause)
        case nil: throw .sharingKeysUnavailable(cause: "no answer")
        }
    }
}
