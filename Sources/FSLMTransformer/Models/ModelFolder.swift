public import Foundation

/// A Hugging Face model folder, opened and checked before any compute:
/// - `config.json` (required), decoded into `config`;
/// - the weights: `model.safetensors`, or `model.safetensors.index.json` and its shards;
/// - `generation_config.json` (optional): its `bos_token_id`/`eos_token_id` override the config's;
/// - `tokenizer.json`: only located here (`tokenizerURL`); the tokenizer reads it.
/// Unless told not to, opening verifies the weights against the config's `WeightManifest`.
public struct ModelFolder: Sendable {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let weightsIndexFile = "model.safetensors.index.json"
    public static let generationConfigFile = "generation_config.json"
    public static let tokenizerFile = "tokenizer.json"

    public let url: URL
    /// From `config.json`, with `generation_config.json`'s special tokens applied.
    public let config: ModelConfig
    public let weights: any WeightStore
    public let manifest: WeightManifest
    /// `tokenizer.json`, nil when the folder has none (see `requireTokenizer()`).
    public let tokenizerURL: URL?
    /// `generation_config.json`, nil when the folder has none.
    public let generationConfigURL: URL?

    /// Opens the folder at `url`. Throws `ModelFolderError` for a missing file,
    /// `ModelConfigError`, `SafetensorsError`, or (when `verifyWeights`) `WeightManifestError`.
    public init(url: URL, verifyWeights: Bool = true) throws {
        self.url = url
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelFolderError(folder: url.path, file: nil, "no such folder")
        }
        guard isDirectory.boolValue else { throw ModelFolderError(folder: url.path, file: nil, "not a folder") }
        func file(_ name: String) -> URL? {
            let file = url.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: file.path) ? file : nil
        }

        guard let configURL = file(Self.configFile) else {
            throw ModelFolderError(folder: url.path, file: Self.configFile, "no \(Self.configFile)")
        }
        var config = try ModelConfig(contentsOf: configURL)
        generationConfigURL = file(Self.generationConfigFile)
        if let generationConfigURL {
            let data: Data
            do {
                data = try Data(contentsOf: generationConfigURL)
            } catch {
                throw ModelFolderError(folder: url.path, file: Self.generationConfigFile, "cannot read \(Self.generationConfigFile): \(error.localizedDescription)")
            }
            try config.applyGenerationConfig(data)
        }
        self.config = config

        if let single = file(Self.weightsFile) {
            weights = try SafetensorsFile(url: single)
        } else if let index = file(Self.weightsIndexFile) {
            weights = try ShardedWeights(indexURL: index)
        } else {
            let other = ["pytorch_model.bin", "pytorch_model.bin.index.json", "model.gguf"].first { file($0) != nil }
            let note = other.map { "; \($0) is there, but fslm reads safetensors only" } ?? ""
            throw ModelFolderError(folder: url.path, file: Self.weightsFile, "no \(Self.weightsFile) or \(Self.weightsIndexFile)\(note)")
        }
        manifest = WeightManifest(config: config)
        tokenizerURL = file(Self.tokenizerFile)
        if verifyWeights { try manifest.verify(weights) }
    }

    /// `tokenizer.json`, or an error naming the folder when it has none.
    public func requireTokenizer() throws -> URL {
        guard let tokenizerURL else { throw ModelFolderError(folder: url.path, file: Self.tokenizerFile, "no \(Self.tokenizerFile)") }
        return tokenizerURL
    }
}

/// A model folder missing a file fslm needs (or not a folder at all); from `NativeModel`, also
/// a file in it that fslm cannot read (the problem is then that file's error message).
public struct ModelFolderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The folder's path.
    public var folder: String
    /// The file at fault, if one is.
    public var file: String?
    public var problem: String

    public init(folder: String, file: String?, _ problem: String) {
        self.folder = folder
        self.file = file
        self.problem = problem
    }

    /// `folder: problem`, e.g. `/models/pythia-70m: no config.json`.
    public var description: String { "\(folder): \(problem)" }
}
