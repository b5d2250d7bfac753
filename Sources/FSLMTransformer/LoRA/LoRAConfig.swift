public import Foundation

/// The parts of a PEFT `adapter_config.json` that change inference, checked when read: an
/// option fslm does not implement (DoRA, `modules_to_save`, per-module ranks, LoRA biases,
/// ...) is an error naming the key, never silently ignored.
public struct LoRAConfig: Sendable, Hashable {
    /// Which modules the adapter targets, as PEFT accepts them.
    public enum TargetModules: Sendable, Hashable {
        /// Module-name suffixes (`["q_proj", "v_proj"]`).
        case names([String])
        /// A regular expression PEFT full-matches against module names.
        case pattern(String)
    }

    /// `r`: the rank of every delta.
    public var rank: Int
    /// `lora_alpha`.
    public var alpha: Double
    /// `target_modules`; informative only: the deltas applied are the tensors in the file.
    public var targetModules: TargetModules
    /// `use_rslora`: scale by `alpha / √r` instead of `alpha / r`.
    public var useRSLoRA: Bool

    public init(rank: Int, alpha: Double, targetModules: TargetModules, useRSLoRA: Bool = false) {
        self.rank = rank
        self.alpha = alpha
        self.targetModules = targetModules
        self.useRSLoRA = useRSLoRA
    }

    /// The scale every delta is multiplied by (`scaling` in PEFT).
    public var scale: Float { LoRAAdapter.scale(alpha: alpha, rank: rank, rsLoRA: useRSLoRA) }

    /// Reads and checks `adapter_config.json`'s contents; `file` names it in errors.
    public init(json data: Data, file: String = "adapter_config.json") throws {
        guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else {
            throw LoRAError.invalidConfig(file: file, reason: "not a JSON object")
        }
        if let type = json["peft_type"] as? String, type != "LORA" {
            throw LoRAError.unsupported(file: file, key: "peft_type", reason: "'\(type)' adapters are not supported, only LORA")
        }
        guard let rank = json["r"] as? Int, rank > 0 else {
            throw LoRAError.invalidConfig(file: file, reason: "'r' must be a positive integer")
        }
        guard let alpha = (json["lora_alpha"] as? NSNumber)?.doubleValue else {
            throw LoRAError.invalidConfig(file: file, reason: "'lora_alpha' must be a number")
        }
        let targets: TargetModules
        switch json["target_modules"] {
        case let list as [String]: targets = .names(list)
        case let pattern as String: targets = .pattern(pattern)
        default: throw LoRAError.invalidConfig(file: file, reason: "'target_modules' must be a list of names or a regex string")
        }
        if json["fan_in_fan_out"] as? Bool == true {
            throw LoRAError.unsupported(file: file, key: "fan_in_fan_out", reason: "transposed (Conv1D-style) weights are not supported")
        }
        if let bias = json["bias"] as? String, bias != "none" {
            throw LoRAError.unsupported(file: file, key: "bias", reason: "'\(bias)': adapters that train biases are not supported, only 'none'")
        }
        for (key, feature) in Self.unsupportedFeatures where Self.isSet(json[key]) {
            throw LoRAError.unsupported(file: file, key: key, reason: "\(feature) is not supported")
        }
        self.init(rank: rank, alpha: alpha, targetModules: targets, useRSLoRA: json["use_rslora"] as? Bool ?? false)
    }

    /// Reads `adapter_config.json` in `directory`.
    public init(directory: URL) throws {
        let url = directory.appendingPathComponent("adapter_config.json")
        guard let data = try? Data(contentsOf: url) else { throw LoRAError.missingFile(url.path) }
        try self.init(json: data, file: url.path)
    }

    /// Keys whose presence (true, non-empty, non-null) means a feature that changes the forward
    /// pass and that fslm does not implement.
    static let unsupportedFeatures: [(String, String)] = [
        ("use_dora", "DoRA (use_dora)"),
        ("lora_bias", "a bias on lora_B (lora_bias)"),
        ("modules_to_save", "fully trained extra modules (modules_to_save)"),
        ("rank_pattern", "per-module ranks (rank_pattern)"),
        ("alpha_pattern", "per-module alphas (alpha_pattern)"),
        ("layer_replication", "layer replication"),
        ("trainable_token_indices", "trainable token embeddings"),
        ("target_parameters", "LoRA on raw parameters (target_parameters)"),
        ("alora_invocation_tokens", "activated LoRA (alora_invocation_tokens)"),
        ("use_qalora", "QALoRA"),
        ("use_bdlora", "block-diagonal LoRA"),
    ]

    /// Whether a JSON value switches a feature on: true, a non-empty list or object, a non-empty string.
    static func isSet(_ value: Any?) -> Bool {
        switch value {
        case nil, is NSNull: false
        case let number as NSNumber: number.boolValue
        case let list as [Any]: !list.isEmpty
        case let object as [String: Any]: !object.isEmpty
        case let string as String: !string.isEmpty
        default: true
        }
    }
}
