import Foundation
import UID2

/// The simulated operator's protocol core: maps one HTTP request to one HTTP response.
///
/// Knows nothing of sockets, faults or statistics (see ``SimulatorService``). Routes:
///
/// | Method and path | Role | |
/// | --- | --- | --- |
/// | `POST /v2/token/generate` | generator | envelope in, envelope out (spec §2) |
/// | `POST /v2/token/refresh` | optional | plain refresh token in, envelope under `refresh_response_key` out (spec §1.6) |
/// | `POST /v3/identity/map` | mapper | envelope in, envelope out (spec §7.1) |
/// | `POST /v2/optout/status` | mapper, sharer or id reader | envelope in, envelope out (spec §12) |
/// | `POST /v2/key/sharing` | sharer or id reader | envelope in, the sharing keys out (spec §13) |
/// | `GET /ops/healthcheck` | none | `OK` |
package struct OperatorCore: Sendable {
    package let config: SimulatorConfig
    let tokens: SimulatedTokens
    /// First-level hashes answered `optout` on generate (spec §4, operator `IdentityConst`).
    let optoutHashes: Set<String>
    /// First-level hashes that get tokens but are answered `optout` on refresh.
    let refreshOptoutHashes: Set<String>
    /// Which raw UID2s `/v2/optout/status` reports opted out.
    package let optoutStatus: SimulatedOptout
    /// The sharing keys `/v2/key/sharing` lists.
    package let sharing: SimulatedSharing

    package init(config: SimulatorConfig) {
        self.config = config
        self.tokens = SimulatedTokens(key: config.tokenKey)
        self.optoutHashes = [IdentityHash.sha256Base64("optout@example.com"), IdentityHash.sha256Base64("+00000000000")]
        self.refreshOptoutHashes = [IdentityHash.sha256Base64("refresh-optout@example.com"), IdentityHash.sha256Base64("+00000000002")]
        self.optoutStatus = SimulatedOptout(config: config)
        self.sharing = SimulatedSharing(tokenKey: config.tokenKey, settings: config.sharing)
    }

    /// Answers `request` at the simulator's clock: the system clock plus the configured skew.
    package func handle(_ request: SimulatorRequest) -> SimulatorResponse {
        handle(request, nowMillis: Self.systemMillis() + config.faults.clockSkewMillis)
    }

    /// Answers `request` as the operator would at `nowMillis` (Unix ms).
    package func handle(_ request: SimulatorRequest, nowMillis: Int64) -> SimulatorResponse {
        answer(request, nowMillis: nowMillis).response
    }

    /// What an answered request of a batch route held, for `/stats`.
    enum RouteCounts: Sendable, Equatable {
        case identityMap(IdentityMapCounts)
        case optoutStatus(OptoutStatusCounts)
    }

    /// Answers `request` at the simulator's clock, with the counts of an answered batch request.
    func answer(_ request: SimulatorRequest) -> (response: SimulatorResponse, counts: RouteCounts?) {
        answer(request, nowMillis: Self.systemMillis() + config.faults.clockSkewMillis)
    }

    /// Answers `request` at `nowMillis`, with the counts of an answered batch request.
    func answer(_ request: SimulatorRequest, nowMillis: Int64) -> (response: SimulatorResponse, counts: RouteCounts?) {
        guard let endpoint = OperatorRoute(path: request.path) else { return (OperatorResponses.notFound, nil) }
        guard request.method == endpoint.method else { return (OperatorResponses.methodNotAllowed, nil) }
        guard request.body.count <= config.maxBodyBytes else { return (OperatorResponses.payloadTooLarge, nil) }
        let roles = authenticatedRoles(request)
        if let allowed = endpoint.allowedRoles, roles?.isDisjoint(with: allowed) != false {
            return (OperatorResponses.unauthorized, nil)
        }
        switch endpoint {
        case .tokenGenerate:
            return (generate(request, nowMillis: nowMillis), nil)
        case .tokenRefresh:
            return (refresh(request, authenticated: roles?.contains(.generator) == true, nowMillis: nowMillis), nil)
        case .identityMap:
            let (response, counts) = identityMapAnswer(request, nowMillis: nowMillis)
            return (response, counts.map(RouteCounts.identityMap))
        case .optoutStatus:
            let (response, counts) = optoutStatusAnswer(request, nowMillis: nowMillis)
            return (response, counts.map(RouteCounts.optoutStatus))
        case .keySharing:
            return (keySharingAnswer(request, roles: roles ?? [], nowMillis: nowMillis), nil)
        case .healthcheck:
            return (OperatorResponses.healthy, nil)
        }
    }

    /// The caller's roles, or `nil` when the bearer key is missing or unknown.
    ///
    /// Like the operator's AuthMiddleware: trim the header, compare its first 7 characters to
    /// `bearer ` ignoring case, and take the rest as the key.
    func authenticatedRoles(_ request: SimulatorRequest) -> Set<SimulatorRole>? {
        guard let header = request.header("Authorization") else { return nil }
        let trimmed = header.utf8.drop { $0 <= 0x20 }.reversed().drop { $0 <= 0x20 }.reversed()
        guard trimmed.count > 7 else { return nil }
        let scheme = String(decoding: trimmed.prefix(7), as: UTF8.self)
        guard scheme.lowercased() == "bearer " else { return nil }
        let key = Array(trimmed.dropFirst(7))
        let expected = Array(config.apiKey.utf8)
        guard key.count == expected.count else { return nil }
        let difference = zip(key, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        return difference == 0 ? config.apiKeyRoles : nil
    }

    /// Wall-clock Unix milliseconds.
    static func systemMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
