import FSLMInference
import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

/// `MergedModelExport` on the native fixtures: the merged folder loads and generates greedily
/// what the base model with the adapter applied generates (and what transformers gave).
@Suite struct MergedModelExportTests {
    static let cases = NativeFixture.modelNames.flatMap { model in NativeFixture.adapterNames.map { (model, $0) } }

    @Test(arguments: cases)
    func theMergedModelGeneratesWhatBasePlusAdapterDoes(_ name: String, _ adapter: String) async throws {
        let fixture = try #require(try NativeFixture.load().models[name])
        let folder = NativeFixture.modelFolder(name)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-merged-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let summary = try MergedModelExport.export(model: folder, adapter: folder.appendingPathComponent(adapter), to: out)
        #expect(summary.merged > 0 && summary.tensors > summary.merged && summary.leftOut.isEmpty)
        for file in ["config.json", "tokenizer.json", "generation_config.json", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let merged = try NativeModel(folder: out)
        let withAdapter = try NativeModel(folder: folder, adapters: [adapter: folder.appendingPathComponent(adapter)])
        for prompt in fixture.prompts {
            let request = GenerationRequest(prompt: prompt.prompt, maxTokens: 12, temperature: 0)
            var applied = request
            applied.adapter = adapter
            let expected = try await withAdapter.generate(applied)
            let result = try await merged.generate(request)
            #expect(result.text == expected.text, "\(name) \(adapter) '\(prompt.prompt)'")
            #expect(result.text == prompt.greedy[adapter]?.text, "\(name) \(adapter) '\(prompt.prompt)': transformers")
        }
    }

    @Test func writtenTensorsReadBackInEachType() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-writer-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let values: [Float] = [1, -2.5, 0.1, 3e4]
        try SafetensorsWriter.write(DType.allCases.map { dtype in
            .init(name: "t.\(dtype.rawValue)", dtype: dtype, shape: [2, 2]) { SafetensorsWriter.bytes(values, as: dtype) }
        }, to: url)
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensor("t.F32")?.floats() == values)
        #expect(file.tensor("t.F16")?.floats() == values.map { Float(Float16($0)) })
        #expect(file.tensor("t.BF16")?.floats() == [1, -2.5, 0.10009765625, 29952])
        #expect(file.tensor("t.BF16")?.shape == [2, 2])
    }

    @Test func aMissingAdapterIsNamed() throws {
        let folder = NativeFixture.modelFolder("llama")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-merged-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(throws: (any Error).self) {
            try MergedModelExport.export(model: folder, adapter: folder.appendingPathComponent("no-such-adapter"), to: out)
        }
    }
}
