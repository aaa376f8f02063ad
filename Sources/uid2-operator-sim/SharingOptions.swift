import Foundation
import ArgumentParser
import UID2
import UID2Simulator

/// The sharing flags of `uid2-operator-sim`, mapped to ``SharingSettings``.
struct SharingOptions: ParsableArguments {
    @Option(help: "The API key's site id: caller_site_id of /v2/key/sharing, written into the tokens it encrypts; sites one below and one above share with it (2 to 1000000000).")
    var siteID = 999

    @Option(help: ArgumentHelp("The identity system served: uid2 or euid (identity_scope of /v2/key/sharing).", valueName: "scope"))
    var identityScope = "uid2"

    @Option(help: ArgumentHelp("How long each sharing key is active; the active key changes every period (1 to 315360000).", valueName: "seconds"))
    var keyRotationSeconds: Int64 = 30 * 86_400

    @Option(help: ArgumentHelp("token_expiry_seconds of /v2/key/sharing: how long encrypted tokens live.", valueName: "seconds"))
    var sharingTokenExpiry: Int64 = 2_592_000

    @Option(help: ArgumentHelp("The longest sharing token lifetime (the answer adds 10 s; default: the token expiry).", valueName: "seconds"))
    var maxSharingLifetime: Int64?

    @Option(help: ArgumentHelp("allow_clock_skew_seconds of /v2/key/sharing.", valueName: "seconds"))
    var allowClockSkew: Int64 = 1800

    @Flag(help: "Give the API key no default keyset: it may decrypt sharing tokens, not encrypt them.")
    var noDefaultKeyset = false

    @Option(help: ArgumentHelp("The API key's roles, comma-separated: generator, mapper, sharer, id_reader.", valueName: "roles"))
    var roles = "generator,mapper,sharer"

    func validate() throws {
        guard (2...1_000_000_000).contains(siteID) else { throw ValidationError("--site-id must be between 2 and 1000000000") }
        guard OperatorEnvironment.IdentityScope(rawValue: identityScope.lowercased()) != nil else {
            throw ValidationError("--identity-scope takes uid2 or euid")
        }
        guard (1...315_360_000).contains(keyRotationSeconds) else {
            throw ValidationError("--key-rotation-seconds must be between 1 and 315360000 (ten years)")
        }
        for (name, value) in [("--sharing-token-expiry", sharingTokenExpiry), ("--allow-clock-skew", allowClockSkew), ("--max-sharing-lifetime", maxSharingLifetime ?? 0)]
        where !(0...315_360_000).contains(value) {
            throw ValidationError("\(name) must be between 0 and 315360000 seconds")
        }
        _ = try parsedRoles()
    }

    func parsedRoles() throws -> Set<SimulatorRole> {
        var found: Set<SimulatorRole> = []
        for name in roles.split(separator: ",", omittingEmptySubsequences: false) {
            guard let role = SimulatorRole(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--roles takes a comma-separated list of generator, mapper, sharer and id_reader")
            }
            found.insert(role)
        }
        return found
    }

    var settings: SharingSettings {
        var settings = SharingSettings()
        settings.siteID = siteID
        settings.scope = OperatorEnvironment.IdentityScope(rawValue: identityScope.lowercased()) ?? .uid2
        settings.rotationSeconds = keyRotationSeconds
        settings.tokenExpirySeconds = sharingTokenExpiry
        settings.maxSharingLifetimeSeconds = maxSharingLifetime
        settings.allowClockSkewSeconds = allowClockSkew
        settings.hasDefaultKeyset = !noDefaultKeyset
        return settings
    }
}
