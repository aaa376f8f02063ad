import Testing
import UID2

/// Known-answer tests of the v2 envelopes (spec §1.7), from both the client and the operator side.
struct EnvelopeTests {
    static let javaSecret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
    static let javaIV = EnvelopeFixtures.hex("cc3ccaca9889eab3800e787e")
    static let javaNonce = EnvelopeFixtures.hex("312fe5aa08b2a049")
    static let javaTimestamp: Int64 = 1_667_885_597_644

    struct RequestVector: Sendable, CustomTestStringConvertible {
        var json: String
        var expectedBase64: String
        var testDescription: String { json }
    }

    /// IABTechLab/uid2-client-java PublisherTests, generated with its encrypt_request.py.
    static let requestVectors: [RequestVector] = [
        RequestVector(
            json: #"{"email":"test@example.com"}"#,
            expectedBase64: "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYrD77pL7JYMJj8YqD9EsrG3d2d2j0H7kZjH41YsNLpFVCH+oce28z9L9ug=="
        ),
        RequestVector(
            json: #"{"phone":"+12345678901"}"#,
            expectedBase64: "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYqX+4JXyJYMJ0JJrSKV84juIkIH33GCmx+7RM2pSX9P4nAN0pn2g"
        ),
        RequestVector(
            json: #"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#,
            expectedBase64: "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYrD77pL7WNFKiMt7QbM9mWHZwOWPyVTqSnDVNzhXRdcmIkV0ODOdll2inDo9iIZQ5oV2NvSUSWG5j6ACiXKH0JxiTPzs716eIH7P1Q=="
        ),
        RequestVector(
            json: #"{"phone_hash":"EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="}"#,
            expectedBase64: "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYqX+4JXyWNFKiMt7QbMMm27H3fmEq2zPRUnXdFpLTdVdc0RNWxOruBaarHYQksdqpbkVFa+walbcj6AClILBJjbDMl1IoeqJVG2fyw=="
        ),
    ]

    @Test("sealing with a fixed IV, nonce and timestamp gives the Java SDK's exact bytes", arguments: requestVectors)
    func sealMatchesKnownAnswer(vector: RequestVector) throws {
        let secret = try ClientSecret(base64: Self.javaSecret)
        let envelope = try RequestEnvelope.seal(
            json: Array(vector.json.utf8),
            secret: secret,
            timestampMillis: Self.javaTimestamp,
            nonce: Self.javaNonce,
            iv: Self.javaIV
        )
        #expect(Base64.encode(envelope) == vector.expectedBase64)
    }

    @Test("the operator side opens the Java SDK's envelopes", arguments: requestVectors)
    func openKnownAnswer(vector: RequestVector) throws {
        let secret = try ClientSecret(base64: Self.javaSecret)
        let bytes = try #require(Base64.decode(vector.expectedBase64))
        let opened = try RequestEnvelope.open(bytes, secret: secret)
        #expect(opened.timestampMillis == Self.javaTimestamp)
        #expect(opened.nonce == Self.javaNonce)
        #expect(String(decoding: opened.json, as: UTF8.self) == vector.json)
    }

    @Test("the operator's own test envelope opens (V2RequestUtilTest, JSON with a trailing newline)")
    func openOperatorVector() throws {
        let secret = try ClientSecret(base64: "YGdzZw9oM2RzBgB8THMyAEe408lvdfsTsGteaLAGayY=")
        let body = "ATDX9gBKxgQaLwUi9ZDbSqo1b66u55jEN322XSR+aCvOy/c3ZiaVOh8VG22pDUSSNaUqfUwwxxYT0pS9zjW7oVPCeluHU5GCc+6A+LUTIQ8vOR+1CN7ds/61Bp82RzKf5wPABMNtqr1XkoN6d5FU/R0vpxf2hfo1cYYmW0ziCy15pPh17GN2vNTn6YK6g+MAi/dDC7mG+Mxnh9ZaEz+3IetgDPWfp5zHh/T3LWhDAA+2drlDn8KwcQE/TYKh5raR4BDHmhgBUCU6+nymoWruNYxzcII63xMTLMTGzpinNnTL3iBPII9lKRJJ2ZrGjjgMMXi066iaDDpBHH3xY+bAwriU+6GEsE8bveRMwRqT83gmkYp6mn+75Yrpdw=="
        let opened = try RequestEnvelope.open(try #require(Base64.decode(body)), secret: secret)
        #expect(opened.timestampMillis == 1_710_907_366_130)
        #expect(opened.nonce == EnvelopeFixtures.hex("30e8280192351c0c"))
        let json = String(decoding: opened.json, as: UTF8.self)
        #expect(json.contains(#""email_hash": "LdhtUlMQ58ZZy5YUqGPRQw5xUMS5dXG5ocJHYJHbAKI=""#))
        #expect(json.hasSuffix("\n"))
    }

    @Test("a real operator generate response opens with the request's nonce")
    func openGenerateResponseVector() throws {
        let secret = try ClientSecret(base64: Self.javaSecret)
        let opened = try ResponseEnvelope.open(
            base64: EnvelopeFixtures.javaGenerateResponse,
            secret: secret,
            expectedNonce: Self.javaNonce
        )
        #expect(Base64.decode(EnvelopeFixtures.javaGenerateResponse)?.count == 999)
        #expect(opened.timestampMillis == 1_668_056_199_629)
        let json = String(decoding: opened.json, as: UTF8.self)
        #expect(json.contains(#""status":"success""#))
        #expect(json.contains(#""refresh_response_key":"P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=""#))
    }

    @Test("a real operator refresh response opens with its refresh_response_key, bare JSON")
    func openRefreshResponseVector() throws {
        let key = try ClientSecret(base64: "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=")
        let bytes = try #require(Base64.decode(EnvelopeFixtures.javaRefreshResponse))
        let json = String(decoding: try ResponseEnvelope.openRefresh(bytes, responseKey: key), as: UTF8.self)
        #expect(json.hasPrefix("{"))
        #expect(json.contains(#""refresh_response_key":"3df27Us3KXIy4LhebjNt0DDfF0N5zGXEQ1MmJ7jIU8o=""#))
        #expect(json.contains("1668065878329"))
    }

    @Test("a real operator refresh opt-out response opens to the optout status")
    func openRefreshOptoutVector() throws {
        let key = try ClientSecret(base64: "WL0AYr41Db9m6dCIPtQlTz2kE4NMx3nLmloGHkQPGSQ=")
        let bytes = try #require(Base64.decode("d9I6qCdlJ6mkWYLyw2iGnCnJ5OocyQDtbbvW6YXAYKpxTXaOePQzPPJIrHnI7Io="))
        let json = String(decoding: try ResponseEnvelope.openRefresh(bytes, responseKey: key), as: UTF8.self)
        #expect(json.contains(#""status":"optout""#))
    }

    @Test("request and response round-trip with random IVs and arbitrary JSON sizes", arguments: [0, 1, 15, 16, 17, 1000, 70_000])
    func roundTrip(jsonByteCount: Int) throws {
        let secret = ClientSecret.random()
        let json = (0..<jsonByteCount).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let nonce: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let request = try RequestEnvelope.seal(json: json, secret: secret, timestampMillis: -5, nonce: nonce)
        #expect(request.count == RequestEnvelope.minimumByteCount + jsonByteCount)
        let opened = try RequestEnvelope.open(request, secret: secret)
        #expect(opened == OpenedRequest(timestampMillis: -5, nonce: nonce, json: json))

        let response = try ResponseEnvelope.seal(json: json, secret: secret, timestampMillis: Int64.max, nonce: opened.nonce)
        #expect(response.count == ResponseEnvelope.minimumByteCount + jsonByteCount)
        let answer = try ResponseEnvelope.open(response, secret: secret, expectedNonce: nonce)
        #expect(answer == OpenedResponse(timestampMillis: Int64.max, json: json))

        let refresh = try ResponseEnvelope.sealRefresh(json: json, responseKey: secret)
        #expect(try ResponseEnvelope.openRefresh(refresh, responseKey: secret) == json)
    }

    @Test("two seals of the same request differ (random IV)")
    func randomIV() throws {
        let secret = ClientSecret.random()
        let nonce = [UInt8](repeating: 9, count: 8)
        let first = try RequestEnvelope.seal(json: Array("{}".utf8), secret: secret, timestampMillis: 1, nonce: nonce)
        let second = try RequestEnvelope.seal(json: Array("{}".utf8), secret: secret, timestampMillis: 1, nonce: nonce)
        #expect(first != second)
        #expect(first[0] == 1)
    }
}

/// Byte helpers and long real-operator vectors for the envelope tests.
enum EnvelopeFixtures {
    /// Decodes lowercase or uppercase hex; traps on odd length (test input only).
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        precondition(digits.count.isMultiple(of: 2))
        func value(_ digit: UInt8) -> UInt8 {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
            default: preconditionFailure("not hex")
            }
        }
        return stride(from: 0, to: digits.count, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
    }

    /// `decryptGenerateResponse()` in IABTechLab/uid2-client-java PublisherTests.
    static let javaGenerateResponse = "RUlLWcXlSdRhpf82J8iDqeVFbZQx2MCcVaTjhf1gVPpSS3SfOMzfCB8tW8VHzY15b5ZN6FKlZ/3FjHi54H7uyyVp2BS7puWgzGiv5jxhp0hpP2fL1KdmRs8UpX2XgmdEkfeYjTzFHFhq8SfocV2MIK8Gu4QtCtQdMg1Vk9fyeIOwgRUODkHnFZN8rcZIPDdqkZRS6Rftgdizss1FSkInYNpT2Cq07iIHVREmuJdZIinK0qDjIXcXUI3oE8WzdEtd/e4/8xEEZ4HRYuhNF640hX/O+ivBgygW/nqctAr6r9zYu65zs45UYClSUNaWsvE34IWq4q61T99z8etf81lS8E/PWrskOnH968azv0/FVFlLiKks0a1W1iDqq0/pps8LBq/Eo8ByadXQITDFwT6LN9qQE1lW4bGQrY3ZgALZQHsW1eAdaedaYwGOhp81xLlrq9aRaKXdiLuil/lgUNQX51yW8U8izYIq8cue0cUMg/TDV+5YtcC5eZiQskTjMFkInjfDI8k5F5KGnVRfsj8w+mcXv0O9E7djTy6Mmt4OQ1MxDFYuzptf3GnC7GK8VHpxHc84rOZADzBcgVOfYz4x8jA3fPVMkE08fMMpzH8OpH0riQHjk95rAF3KcOss5IvmPsUy+ZgCwOloWH+dwgYy8CDTR3RYPA+zOmEk4bGwvy6hQ5JJwah43ba73IrWZpiANfyCFMr7PY1HFvp7fC+i8w8zLTxMcLgH0m8zXMJXo6IVJDhuQKM/ViSkS/ONatlQvbtFehZfMwzPeD/mDmy1JAcvAAqmiAl13ULdNrIET9zyqmJVEaDEawVckomeIJoznbBS7WEFelcueYcXBi+Tl7qTlPL8UI4AjrzYp/sfMCvCoBtQnFYQAmChmE5OCpnE0X/uCa9oUK7HrVEqgBLft25w4d1mYtMV02gZ0SB/T2MA3BeSEp6RUKrYO63+/8eYUF4pEuQEjDcdRX6rxs9lpPPLKglnn9VteJ61BjsLphwYxqwgdlHZhS6xSvqYveHwwe94QyOYeyiJiEqJ+QooUciWSyRXBfJdcE4inuzO4T/wZauocgw8ZiKJMAfPzXjSLdVNM/sosd0vIhgXvlMpj+a+B4lbsfcVjRGrwU1VPZvHlubVCxJGieW7hQ8ugzpSYibMxxvhFBCyzjKHYodllp/umuq2KmoMdbB2lOsVFtZ3ufYs7cqSTcZIgPFUXlEJs/hUFvTnUCfZ1vC+YNF4d7ngVvCdMYsOCLQNAZeMaVoSG8m/cvY2FT0MGAgLhuu+IGWMcGVYPUrjP6Hy9gpq/wEkRnnfDAo+ENmMQsYcdzg+VNREZ4p4"

    /// `decryptRefreshResponse()` in IABTechLab/uid2-client-java PublisherTests (key `P941vVeu…`).
    static let javaRefreshResponse = "suJBe05BsUlmulBse8Kuq6haiirs5O8wokoXQz8rxK047Q60vZQrWGy3+ufTwpIKpoMGLFGvVXpE8ifoN4Z34qPrGaJaVuCmcVTbQ8kkou/RwLp+hjoXaaTBmlqVGGbVrBzFg14KMlZLKKEh7EfABSQeUvbi3TtOzbluHZn0jCri3qJEDnSFP4tXhGjJw5ufB4GiSGOzfuw6rvRrWh+FjpNein8ijVNzA4MQAYMGrZEeKd639hCu5Q4tdkuOZKrkLTUPoeKNmt3moyQtKxztpPa/UCDJ/bOpIiLXI+vLScHG0ekhRq/5eQ7nFk3wUd9mlrA3f/+MyqkaPSjIVYvmcpzC55qh0PXLXkOzhIrLUjaIP8UzU30us+pHL2exdUZrrh4w8Pp7MZkdYzEBvc7ZyeXObNzBJNED62T7GI5UxKAndMoSPxsewttZ2MpAepfRQ9RH97eIX+Bg2KJa5WOOLK5KfVS01oKxXbwcCsGpw5sDAIiobrYdWWn9UMUhbFpbuqsmSWW4vFZR02RMHzif8N/vJkBLyvxSAlP363QULrEVMOueG91MI1W9BICYvTM06ZHYt5dz2l1GkKu+OSKAaTLvCJAWsCDgowtJcHtl0kYmZBJn/yfcc3a8SQC1dv2el1l3DWG6J8Udrci6rmOzox0MqIWkBfOqEOHFOPpV8RqYTJVYuKEigYAiAvw7RFA7ZSCwJ3nhc6GUD7XoCK96Y/TrLud3gagxRUz4D+OZUidQP01LeVW9XfBi/UGxQC1WcZ/AS7MF3byjXDJRR6MZRbTm4hkLJm1hQzGsiVNBbBR/qCwoaAI9PwvBKoZpujMzH3+HdUOubCw6sOCWfgO4cwn7TTyQAf9KJ1B6Tj+RNWe3HyImcCpfBMl8suMRh8cZX48r/Z3um4w0bNLog7L1VVA4J6G8EXvpDdkE/78mIdL7dNraZdioF/X/vP7efkDTHTLiJsGq7fZxGqqrFt/ENqhsgpq7punMq8k96sDQ7ujVc4LN0M6qPqIYiC7lT4haXtdugFaKBZp80bbV5ZM1s0VH9nw7SgJUA9RZcxYkU5x77kY+i6fUK45bDC0x0j4lPpC027CgzJhGZffZyvRCPzXYDTa9s40JswKLnKf27HwwYCTJNsnIMRBJlUSnU/JqLvzYFIBSEa2SNsD4qlvdoWqo0bZvpDquqz2mH36w3u7j5L/CoTy7dcjORPdC9/nJN/b+b/G5vjE5bcDtfek3Kc6n6ABjRnXYVstK43ghUeczUHzRwUjdX616pphGliP+bTZHtcfr2DBp2N5vMgxf4bMmhseDlzc="
}
