/// A model's shape and options, normalized from the `config.json` dialects fslm reads
/// (transformers 4: `rotary_pct`, `rotary_emb_base`, `rope_theta`, `rope_scaling`;
/// transformers 5: `rope_parameters`). Checked when decoded: every field is usable as is.
public struct ModelConfig: Sendable, Hashable {
    /// The architectures fslm runs.
    public enum Architecture: String, Sendable, Hashable, CaseIterable {
        /// `GPTNeoXForCausalLM` (Pythia): LayerNorm, (optionally) parallel residual,
        /// partial rotary, GELU MLP, untied output embedding.
        case gptNeoX = "GPTNeoXForCausalLM"
        /// `LlamaForCausalLM` (SmolLM2, TinyLlama, Llama 3.2): RMSNorm, RoPE, SwiGLU, GQA.
        case llama = "LlamaForCausalLM"
        /// `Qwen2ForCausalLM`: Llama with q/k/v biases.
        case qwen2 = "Qwen2ForCausalLM"
    }

    /// The MLP activations fslm implements.
    public enum Activation: String, Sendable, Hashable {
        /// GELU, exact (erf) form: `gelu` in transformers.
        case gelu
        /// GELU, tanh approximation: `gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`.
        case geluTanh
        /// SiLU (swish), as in SwiGLU.
        case silu
        case relu
    }

    public var architecture: Architecture
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    /// Key/value heads; equal to `headCount` without grouped-query attention.
    public var keyValueHeadCount: Int
    /// `hiddenSize / headCount` unless the config says otherwise.
    public var headDimension: Int
    /// Dimensions of each head that get rotary embeddings (`headDimension * rotary_pct`, even).
    public var rotaryDimension: Int
    public var ropeTheta: Double
    /// Linear RoPE scaling factor (1 = none); other `rope_type`s are rejected at decode.
    public var ropeScalingFactor: Double
    public var maxPositions: Int
    /// LayerNorm or RMSNorm epsilon.
    public var normEpsilon: Float
    public var activation: Activation
    /// Output projection shares the input embedding's weights.
    public var tiedEmbeddings: Bool
    /// GPT-NeoX: attention and MLP both read the block input, their outputs are summed.
    public var parallelResidual: Bool
    /// Q/K/V projections have biases (GPT-NeoX, Qwen2; Llama when `attention_bias`).
    public var attentionBias: Bool
    /// MLP projections have biases (GPT-NeoX always; Llama when `mlp_bias`).
    public var mlpBias: Bool
    /// The attention output projection (`attention.dense`, `o_proj`) has a bias: GPT-NeoX's and
    /// Llama's follow `attention_bias`, Qwen2's has none. A field of its own because no other
    /// flag implies it: Llama's `attention_bias` covers `o_proj` but not the MLP, and GPT-NeoX's
    /// MLP keeps its biases when `attention_bias` is false.
    public var attentionOutputBias: Bool
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]

    public init(
        architecture: Architecture, vocabularySize: Int, hiddenSize: Int, intermediateSize: Int, layerCount: Int,
        headCount: Int, keyValueHeadCount: Int, headDimension: Int, rotaryDimension: Int, ropeTheta: Double,
        ropeScalingFactor: Double = 1, maxPositions: Int, normEpsilon: Float, activation: Activation, tiedEmbeddings: Bool,
        parallelResidual: Bool, attentionBias: Bool, mlpBias: Bool, bosTokenID: Int?, eosTokenIDs: [Int],
        attentionOutputBias: Bool? = nil
    ) {
        self.architecture = architecture
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.keyValueHeadCount = keyValueHeadCount
        self.headDimension = headDimension
        self.rotaryDimension = rotaryDimension
        self.ropeTheta = ropeTheta
        self.ropeScalingFactor = ropeScalingFactor
        self.maxPositions = maxPositions
        self.normEpsilon = normEpsilon
        self.activation = activation
        self.tiedEmbeddings = tiedEmbeddings
        self.parallelResidual = parallelResidual
        self.attentionBias = attentionBias
        self.mlpBias = mlpBias
        // nil: as before the field existed, the output projection's bias goes with the MLP's.
        self.attentionOutputBias = attentionOutputBias ?? mlpBias
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
    }
}
