import UID2

/// `POST /v2/token/refresh` (spec §1.6): the refresh token as the plain body (the API key is
/// still sent), the answer opened with the row's own `refresh_response_key`; tokens or
/// `optout` back, like generate.
package struct RefreshEndpoint: OperatorEndpoint {
    package static let path = OperatorPath.tokenRefresh.rawValue

    package init() {}

    package var path: String { Self.path }
    /// The operator's refresh takes an API key but asks for no role (spec §6).
    package var roles: [String] { [] }

    /// The operator's answers about the one refresh token sent (spec §1.6).
    package func namesRow(status: String?, message: String) -> Bool {
        if status == "invalid_token" || status == "expired_token" { return true }
        return ["Error refreshing token", "Invalid key:", "Invalid data:", "Invalid format:"].contains { message.hasPrefix($0) }
    }
    package var maxItemsPerRequest: Int { 1 }
    package var sealing: RequestSealing { .plainAnswerKeyedByItem }
    package var maxRequestJSONBytes: Int { 1 << 20 }

    package func requestJSON(_ items: ArraySlice<RefreshItem>) -> [UInt8] {
        items.first?.token ?? []
    }

    package func requestJSONBytes(of item: RefreshItem) -> Int {
        item.token.count
    }

    package func answerKey(for items: ArraySlice<RefreshItem>) -> ClientSecret? {
        items.first?.responseKey
    }

    /// `success` gives new tokens, `optout` is a result, any other status refuses the row.
    package func outcomes(fromAnswer json: [UInt8], items: ArraySlice<RefreshItem>) throws(AnswerError) -> [TokenOutcome] {
        [try TokenOutcome(answer: json)]
    }
}
