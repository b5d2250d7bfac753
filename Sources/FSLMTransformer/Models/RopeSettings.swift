/// The rotary-embedding options of a config, from either dialect:
/// - transformers 5: `rope_parameters: {rope_type, rope_theta, partial_rotary_factor, factor}`;
/// - transformers 4: `rope_theta` (Llama, Qwen2) or `rotary_emb_base` and `rotary_pct`
///   (GPT-NeoX) at the top, scaling in `rope_scaling: {type | rope_type, factor}`.
/// As in transformers 5, a non-null `rope_scaling` takes the place of `rope_parameters`, and
/// values inside the object win over the top-level ones. Only `default` and `linear` RoPE are
/// supported; other types are an error, not a silent approximation.
struct RopeSettings: Sendable, Hashable {
    var theta: Double
    /// Fraction of each head that rotates (GPT-NeoX's `rotary_pct`).
    var partialFactor: Double
    /// The key that gave `partialFactor`, for errors about the rotary dimension.
    var partialFactorKey: String
    /// Linear position scaling (1 = none).
    var scalingFactor: Double

    /// Reads the options from `config`, with `defaultPartialFactor` when no key gives it.
    /// `thetaKeys` and `partialKeys` are the architecture's top-level (transformers 4) keys, in
    /// order of preference.
    init(_ config: ConfigReader, thetaKeys: [String], partialKeys: [String], defaultPartialFactor: Double) throws {
        let scalingKey = config.has("rope_scaling") ? "rope_scaling" : "rope_parameters"
        let rope = try config.object(scalingKey)
        if let rope, rope.object.values.contains(where: { if case .object = $0 { true } else { false } }) {
            throw config.error(scalingKey, "unsupported '\(scalingKey)': one entry per layer type (\(rope.object.keys.sorted().joined(separator: ", "))); fslm runs one RoPE for every layer")
        }

        // rope_theta: inside the object, in rope_parameters (next to a legacy rope_scaling), at the top.
        let sources: [(ConfigReader?, String)] = [(rope, "rope_theta"), (try config.object("rope_parameters"), "rope_theta")]
            + thetaKeys.map { (config, $0) }
        theta = 10_000
        for (reader, key) in sources {
            if let reader, let value = try reader.positiveDouble(key) { theta = value; break }
        }

        partialFactor = defaultPartialFactor
        partialFactorKey = partialKeys.first ?? "partial_rotary_factor"
        for (reader, key) in [(rope, "partial_rotary_factor")] + partialKeys.map({ (Optional(config), $0) }) {
            if let reader, let value = try reader.double(key) {
                guard value > 0, value <= 1 else {
                    throw reader.error(key, "'\(reader.path(key))' is \(value), expected a fraction in (0, 1]")
                }
                partialFactor = value
                partialFactorKey = reader.path(key)
                break
            }
        }

        scalingFactor = 1
        guard let rope else { return }
        let typeKey = rope.has("rope_type") ? "rope_type" : "type"
        let type = try rope.string(typeKey) ?? "default"
        switch type {
        case "default":
            break
        case "linear":
            guard let factor = try rope.positiveDouble("factor") else {
                throw rope.error("factor", "'\(rope.path("factor"))' is missing; linear RoPE scaling needs a factor")
            }
            scalingFactor = factor
        default:
            throw rope.error(typeKey, "unsupported \(scalingKey): '\(rope.path(typeKey))' is '\(type)'; fslm runs 'default' and 'linear' RoPE")
        }
    }
}
