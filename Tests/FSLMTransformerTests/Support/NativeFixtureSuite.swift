import FSLMInference
import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

/// What the suites over `Tests/Fixtures/native` share: the fixture's expectations, its models
/// with both adapters, and the greedy request transformers answered.
protocol NativeFixtureSuite {}

extension NativeFixtureSuite {
    func expected(_ name: String) throws -> NativeFixture.Model {
        try #require(try NativeFixture.load().models[name])
    }

    /// The fixture model `name` with both of its adapters declared under their folder names.
    func model(_ name: String) throws -> NativeModel {
        let folder = NativeFixture.modelFolder(name)
        return try NativeModel(folder: folder, adapters: Dictionary(uniqueKeysWithValues: NativeFixture.adapterNames.map {
            ($0, folder.appendingPathComponent($0))
        }))
    }

    /// The greedy request transformers answered: 12 new tokens at most, `variant`'s adapter.
    func request(_ prompt: String, _ variant: String) -> GenerationRequest {
        GenerationRequest(prompt: prompt, adapter: variant == "base" ? nil : variant, maxTokens: 12, temperature: 0)
    }
}
