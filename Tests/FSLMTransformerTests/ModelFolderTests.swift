import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

@Suite struct ModelFolderTests {
    typealias Writer = SafetensorsTestWriter

    /// A folder with a copy of the fixture `name`'s files, removed after `body`.
    func withCopy(of name: String, _ body: (URL) throws -> Void) throws {
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Fixtures.url("models/\(name)")
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        try body(folder)
    }

    func expectError<E: Error & CustomStringConvertible>(_ type: E.Type, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error, expected \(expected)", sourceLocation: sourceLocation)
        } catch let error as E {
            #expect(error.description.contains(expected), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    func writeIndex(_ map: [String: String], in folder: URL) throws {
        let object = ["metadata": ["total_size": 0], "weight_map": map] as [String: Any]
        try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("model.safetensors.index.json"))
    }

    @Test func namesTheFolderAndTheMissingFile() throws {
        try withCopy(of: "tiny-llama") { folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("model.safetensors"))
            expectError(ModelFolderError.self, "\(folder.path): no model.safetensors or model.safetensors.index.json") {
                _ = try ModelFolder(url: folder)
            }
            try Data().write(to: folder.appendingPathComponent("pytorch_model.bin"))
            expectError(ModelFolderError.self, "pytorch_model.bin is there, but fslm reads safetensors only") { _ = try ModelFolder(url: folder) }
            try FileManager.default.removeItem(at: folder.appendingPathComponent("config.json"))
            do {
                _ = try ModelFolder(url: folder)
                Issue.record("opened without config.json")
            } catch let error as ModelFolderError {
                #expect(error == ModelFolderError(folder: folder.path, file: "config.json", "no config.json"))
                #expect(error.description == "\(folder.path): no config.json")
            }
        }
        expectError(ModelFolderError.self, "/nonexistent/model: no such folder") { _ = try ModelFolder(url: URL(fileURLWithPath: "/nonexistent/model")) }
    }

    @Test func locatesTheTokenizerAndReadsTheGenerationConfig() throws {
        try withCopy(of: "tiny-qwen2") { folder in
            let opened = try ModelFolder(url: folder)
            expectError(ModelFolderError.self, "\(folder.path): no tokenizer.json") { _ = try opened.requireTokenizer() }
            try Data("{}".utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
            try Data(#"{"bos_token_id": 7, "eos_token_id": 9}"#.utf8).write(to: folder.appendingPathComponent("generation_config.json"))
            let again = try ModelFolder(url: folder)
            #expect(try again.requireTokenizer().lastPathComponent == "tokenizer.json")
            #expect(again.config.bosTokenID == 7 && again.config.eosTokenIDs == [9])
            try Data("nope".utf8).write(to: folder.appendingPathComponent("generation_config.json"))
            expectError(ModelConfigError.self, "generation_config.json: not valid JSON") { _ = try ModelFolder(url: folder) }
        }
    }

    @Test func verifiesTheWeightsWhenOpening() throws {
        try withCopy(of: "tiny-llama") { folder in
            // A config that disagrees with the weights: every problem is listed.
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as? [String: Any])
            config["intermediate_size"] = 24
            try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
            do {
                _ = try ModelFolder(url: folder)
                Issue.record("opened weights that do not fit")
            } catch let error as WeightManifestError {
                #expect(error.problems.count == 2 * 3)
                #expect(error.problems.first?.description == "model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [32, 16], expected [24, 16]")
            }
            let unchecked = try ModelFolder(url: folder, verifyWeights: false)
            #expect(unchecked.manifest.problems(in: unchecked.weights).count == 6)
        }
    }

    @Test func shardedProblemsNameTheShard() throws {
        try withCopy(of: "tiny-llama-sharded") { folder in
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as? [String: Any])
            config["vocab_size"] = 65
            try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
            let opened = try ModelFolder(url: folder, verifyWeights: false)
            #expect(opened.manifest.problems(in: opened.weights).map(\.description) == [
                "model-00001-of-00004.safetensors: tensor 'model.embed_tokens.weight' has shape [64, 16], expected [65, 16]",
                "model-00004-of-00004.safetensors: tensor 'lm_head.weight' has shape [64, 16], expected [65, 16]",
            ])
        }
    }

    @Test func readsShards() throws {
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var first = Writer(), second = Writer()
        first.addF32("a", [2], [1, 2])
        second.addF32("b", [1], [3])
        second.add("mask", "BOOL", [1], [1])
        try Writer.write(first.bytes(), to: folder, as: "one.safetensors")
        try Writer.write(second.bytes(), to: folder, as: "two.safetensors")
        try writeIndex(["a": "one.safetensors", "b": "two.safetensors", "mask": "two.safetensors"], in: folder)
        let weights = try ShardedWeights(indexURL: folder.appendingPathComponent("model.safetensors.index.json"))
        #expect(weights.tensorNames == ["a", "b"])
        #expect(weights.tensor("a")?.floats() == [1, 2] && weights.tensor("b")?.floats() == [3])
        #expect(weights.shardName(of: "b") == "two.safetensors" && weights.unsupportedTensors == ["mask": "BOOL"])
        #expect(weights.tensor("c") == nil)
    }

    @Test func rejectsBrokenShardIndexes() throws {
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var first = Writer(), second = Writer()
        first.addF32("a", [2], [1, 2])
        second.addF32("a", [1], [3])
        second.addF32("b", [1], [4])
        try Writer.write(first.bytes(), to: folder, as: "one.safetensors")
        try Writer.write(second.bytes(), to: folder, as: "two.safetensors")
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        func open() throws { _ = try ShardedWeights(indexURL: index) }

        try writeIndex(["a": "one.safetensors", "b": "three.safetensors"], in: folder)
        expectError(SafetensorsError.self, "model.safetensors.index.json: shard 'three.safetensors' (holding 'b' and others) is missing from \(folder.path)", open)
        try writeIndex(["a": "one.safetensors", "b": "two.safetensors"], in: folder)
        expectError(SafetensorsError.self, "model.safetensors.index.json: tensor 'a' is in two shards, 'one.safetensors' and 'two.safetensors'", open)
        try Writer.write(Writer().bytes(), to: folder, as: "two.safetensors")
        expectError(SafetensorsError.self, "weight_map puts 'b' in 'two.safetensors', but no shard holds it", open)
        try writeIndex(["a": "../one.safetensors"], in: folder)
        expectError(SafetensorsError.self, "weight_map maps 'a' to '../one.safetensors', which is not a file in the index's folder", open)
        try Data(#"{"metadata": {}}"#.utf8).write(to: index)
        expectError(SafetensorsError.self, "model.safetensors.index.json: has no 'weight_map' object", open)
        try Data("{".utf8).write(to: index)
        expectError(SafetensorsError.self, "model.safetensors.index.json: not valid JSON", open)
        try writeIndex(["a": "one.safetensors"], in: folder)
        try Writer.write([1, 2, 3], to: folder, as: "one.safetensors")
        expectError(SafetensorsError.self, "one.safetensors: file is 3 bytes", open)
    }
}
