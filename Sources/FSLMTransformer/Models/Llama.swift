/// Llama and Qwen2, as transformers' `LlamaForCausalLM` and `Qwen2ForCausalLM`
/// (`models/llama/modeling_llama.py`, `models/qwen2/modeling_qwen2.py`): RMSNorm, separate
/// q/k/v projections, full rotary (with linear scaling), grouped-query attention, SwiGLU MLP,
/// output tied to the input embedding or not. Qwen2 is Llama with q/k/v biases and an
/// unbiased `o_proj` (its sliding window is off in every config fslm accepts).
public struct LlamaModel: TransformerModel {
    // MARK: Loaded model

    struct Layer: Sendable {
        let inputNorm: [Float]
        let postAttentionNorm: [Float]
        let q: Linear, k: Linear, v: Linear, o: Linear
        let gate: Linear, up: Linear, down: Linear
    }

    public let config: ModelConfig
    public let linearShapes: [String: [Int]]
    let embedTokens: Tensor
    let layers: [Layer]
    let norm: [Float]
    /// `lm_head`, or `embed_tokens` when tied.
    let output: WeightMatrix
    let rotary: RotaryEmbedding

    /// Looks up every tensor `WeightManifest(config:)` lists, checked before any compute.
    public init(config: ModelConfig, weights: any WeightStore, format: WeightMatrix.Format? = nil) throws {
        guard config.architecture == .llama || config.architecture == .qwen2 else {
            throw ModelError.wrongArchitecture(expected: .llama, found: config.architecture)
        }
        guard config.keyValueHeadCount > 0, config.headCount % config.keyValueHeadCount == 0 else {
            throw ModelError.invalidConfig("\(config.headCount) attention heads do not divide into \(config.keyValueHeadCount) key/value heads")
        }
        let w = try ModelWeights(config: config, store: weights, format: format)
        self.config = config
        embedTokens = w.tensor("model.embed_tokens.weight")
        layers = (0..<config.layerCount).map { layer in
            let p = "model.layers.\(layer)."
            return Layer(
                inputNorm: w.floats(p + "input_layernorm.weight"), postAttentionNorm: w.floats(p + "post_attention_layernorm.weight"),
                q: w.linear(p + "self_attn.q_proj", bias: config.attentionBias),
                k: w.linear(p + "self_attn.k_proj", bias: config.attentionBias),
                v: w.linear(p + "self_attn.v_proj", bias: config.attentionBias),
                o: w.linear(p + "self_attn.o_proj", bias: config.attentionOutputBias),
                gate: w.linear(p + "mlp.gate_proj", bias: config.mlpBias),
                up: w.linear(p + "mlp.up_proj", bias: config.mlpBias),
                down: w.linear(p + "mlp.down_proj", bias: config.mlpBias))
        }
        norm = w.floats("model.norm.weight")
        output = w.matrix(config.tiedEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight")
        rotary = RotaryEmbedding(dimension: config.rotaryDimension, theta: config.ropeTheta, scalingFactor: config.ropeScalingFactor)
        linearShapes = Dictionary(
            uniqueKeysWithValues: layers.flatMap { [$0.q, $0.k, $0.v, $0.o, $0.gate, $0.up, $0.down] }.map { ($0.name, $0.weight.shape) })
    }

    // MARK: Forward

    public func logits(batch: inout [ForwardSequence]) throws -> [[Float]] {
        let layout = try BatchLayout(batch, model: self, rotary: rotary)
        guard layout.rows > 0 else { return [] }
        let n = layout.rows, d = config.hiddenSize, hd = config.headDimension, m = config.intermediateSize
        let heads = config.headCount, kvHeads = config.keyValueHeadCount, eps = config.normEpsilon, spans = layout.spans

        let x = FloatBuffer(count: n * d)  // [n, d] the residual stream, every sequence's rows stacked
        layout.embed(batch, table: embedTokens, into: x.pointer)

        let h = FloatBuffer(count: n * d)  // [n, d] normed input of a block
        let q = FloatBuffer(count: n * heads * hd)  // [n, heads, hd]
        let k = FloatBuffer(count: n * kvHeads * hd), v = FloatBuffer(count: n * kvHeads * hd)  // [n, kvHeads, hd]
        let context = FloatBuffer(count: n * heads * hd)  // [n, heads, hd] attention output
        let projected = FloatBuffer(count: n * d)  // [n, d] o_proj or down_proj output
        let gate = FloatBuffer(count: n * m), up = FloatBuffer(count: n * m)  // [n, m]

        for (l, layer) in layers.enumerated() {
            // Attention block: x = x + o_proj(attend(rope(q), rope(k), v)) on rmsNorm(x).
            Kernels.rmsNorm(x.pointer, rows: n, dim: d, weight: layer.inputNorm, epsilon: eps, into: h.pointer)
            layer.q(h.pointer, rows: n, into: q.pointer, adapters: spans)  // [n, heads, hd]
            layer.k(h.pointer, rows: n, into: k.pointer, adapters: spans)  // [n, kvHeads, hd]
            layer.v(h.pointer, rows: n, into: v.pointer, adapters: spans)  // [n, kvHeads, hd]
            layout.attend(
                q: q.pointer, k: k.pointer, v: v.pointer, heads: heads, keyValueHeads: kvHeads, headDimension: hd,
                rotaryDimension: rotary.dimension, layer: l, batch: &batch, into: context.pointer)
            layer.o(context.pointer, rows: n, into: projected.pointer, adapters: spans)  // [n, d]
            Kernels.add(x.pointer, projected.pointer, into: x.pointer, count: n * d)

            // MLP block: x = x + down(silu(gate(h)) · up(h)) on rmsNorm(x).
            Kernels.rmsNorm(x.pointer, rows: n, dim: d, weight: layer.postAttentionNorm, epsilon: eps, into: h.pointer)
            layer.gate(h.pointer, rows: n, into: gate.pointer, adapters: spans)  // [n, m]
            layer.up(h.pointer, rows: n, into: up.pointer, adapters: spans)  // [n, m]
            Kernels.activate(config.activation, gate.pointer, count: n * m)
            Kernels.multiply(gate.pointer, up.pointer, into: gate.pointer, count: n * m)
            layer.down(gate.pointer, rows: n, into: projected.pointer, adapters: spans)  // [n, d]
            Kernels.add(x.pointer, projected.pointer, into: x.pointer, count: n * d)
        }
        layout.commit(&batch)

        // Output: lm_head(rmsNorm(x)) for each sequence's last (or every) position.
        return layout.logits(
            x.pointer, dim: d, vocabularySize: config.vocabularySize, batch: batch,
            norm: { source, rows, target in Kernels.rmsNorm(source, rows: rows, dim: d, weight: norm, epsilon: eps, into: target) },
            head: { source, rows, target in Kernels.linear(source, rows: rows, weight: output, bias: nil, into: target) })
    }
}
