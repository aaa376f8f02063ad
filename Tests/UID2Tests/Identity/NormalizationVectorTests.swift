import Foundation
import Testing
import UID2

/// One entry of `normalization-vectors.json`.
struct NormalizationVector: Decodable, Sendable, CustomTestStringConvertible {
    let kind: String
    let input: String
    let normalized: String?
    let hash: String?

    var testDescription: String { "\(kind) \(input.debugDescription)" }

    static let all: [NormalizationVector] = {
        guard let url = Bundle.module.url(forResource: "normalization-vectors", withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url),
              let vectors = try? JSONDecoder().decode([NormalizationVector].self, from: data)
        else { return [] }
        return vectors
    }()
}

@Suite("Normalization vectors from the spec")
struct NormalizationVectorTests {
    @Test func vectorFileIsLoaded() {
        #expect(NormalizationVector.all.count >= 70)
        #expect(NormalizationVector.all.contains { $0.kind == "email" })
        #expect(NormalizationVector.all.contains { $0.kind == "phone" })
    }

    @Test(arguments: NormalizationVector.all.filter { $0.kind == "email" })
    func email(_ vector: NormalizationVector) {
        let normalized = EmailNormalizer.normalize(vector.input)
        #expect(normalized == vector.normalized)
        if let normalized, let hash = vector.hash {
            #expect(IdentityHash.sha256Base64(normalized) == hash)
        }
    }

    @Test(arguments: NormalizationVector.all.filter { $0.kind == "phone" })
    func phone(_ vector: NormalizationVector) {
        let valid = PhoneNormalizer.isNormalized(vector.input)
        #expect(valid == (vector.normalized != nil))
        if valid, let hash = vector.hash {
            #expect(vector.normalized == vector.input)
            #expect(IdentityHash.sha256Base64(vector.input) == hash)
        }
    }
}
