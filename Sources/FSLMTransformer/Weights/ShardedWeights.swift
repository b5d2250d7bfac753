public import Foundation

/// A checkpoint split over several safetensors files, as `model.safetensors.index.json`
/// (`{"metadata": {...}, "weight_map": {tensor name: shard file name}}`) describes it.
///
/// Opening checks that every shard the index names exists (in the index's folder), that each
/// tensor the index maps is in the shard it names, and that no tensor is in two shards.
public final class ShardedWeights: WeightStore, @unchecked Sendable {
    // @unchecked: immutable after init; the shards are themselves read-only.

    /// The index file's location.
    public let indexURL: URL
    /// The shards by file name, each opened and checked.
    public let shards: [String: SafetensorsFile]
    public let tensorNames: [String]
    private let shardOfTensor: [String: String]

    /// Reads the index at `indexURL` and opens the shards it names.
    public init(indexURL: URL) throws {
        self.indexURL = indexURL
        let indexName = indexURL.lastPathComponent
        func fail(_ problem: String, _ tensor: String? = nil) -> SafetensorsError {
            SafetensorsError(file: indexName, tensor: tensor, problem)
        }
        let data: Data
        do {
            data = try Data(contentsOf: indexURL)
        } catch {
            throw fail("cannot read \(indexURL.path): \(error.localizedDescription)")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw fail("not valid JSON (\(error))")
        }
        guard let root = json.dictionary, let weightMap = root["weight_map"]?.dictionary else {
            throw fail("has no 'weight_map' object (tensor name → shard file)")
        }
        var mapped: [String: String] = [:]
        for name in weightMap.keys.sorted() {
            guard case .string(let shard) = weightMap[name]!, !shard.isEmpty else {
                throw fail("weight_map maps '\(name)' to \(weightMap[name]!.brief), not a file name", name)
            }
            guard !shard.contains("/"), shard != "..", shard != "." else {
                throw fail("weight_map maps '\(name)' to '\(shard)', which is not a file in the index's folder", name)
            }
            mapped[name] = shard
        }

        let folder = indexURL.deletingLastPathComponent()
        var shards: [String: SafetensorsFile] = [:]
        for shard in Set(mapped.values).sorted() {
            let url = folder.appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: url.path) else {
                let example = mapped.filter { $0.value == shard }.keys.min()!
                throw fail("shard '\(shard)' (holding '\(example)' and others) is missing from \(folder.path)", example)
            }
            shards[shard] = try SafetensorsFile(url: url)
        }

        var owner: [String: String] = [:]
        for shard in shards.keys.sorted() {
            let file = shards[shard]!
            for name in file.tensorNames + file.unsupportedTensors.keys.sorted() {
                if let other = owner[name] {
                    throw fail("tensor '\(name)' is in two shards, '\(other)' and '\(shard)'", name)
                }
                owner[name] = shard
            }
        }
        for name in mapped.keys.sorted() where owner[name] != mapped[name] {
            let actual = owner[name].map { "it is in '\($0)'" } ?? "no shard holds it"
            throw fail("weight_map puts '\(name)' in '\(mapped[name]!)', but \(actual)", name)
        }
        self.shards = shards
        shardOfTensor = owner
        tensorNames = owner.keys.filter { shards[owner[$0]!]!.unsupportedTensors[$0] == nil }.sorted()
    }

    public func tensor(_ name: String) -> Tensor? {
        shardOfTensor[name].flatMap { shards[$0]?.tensor(name) }
    }

    /// The file name of the shard holding `name`, if any does.
    public func shardName(of name: String) -> String? { shardOfTensor[name] }

    public func releaseResidentPages() {
        for shard in shards.values { shard.releaseResidentPages() }
    }

    /// Tensors present with a dtype fslm does not read, over all shards: name → dtype.
    public var unsupportedTensors: [String: String] {
        shards.values.reduce(into: [:]) { all, shard in all.merge(shard.unsupportedTensors) { a, _ in a } }
    }
}
