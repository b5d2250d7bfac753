/// GPT-NeoX (Pythia), as transformers' `GPTNeoXForCausalLM`
/// (`models/gpt_neox/modeling_gpt_neox.py`): LayerNorm, fused per-head-interleaved QKV,
/// partial rotary, GELU MLP, parallel or sequential residual, untied output embedding.
public struct GPTNeoXModel: TransformerModel {
    // MARK: Loaded model

    struct Layer: Sendable {
        let inputNorm: (weight: [Float], bias: [Float])
        let postAttentionNorm: (weight: [Float], bias: [Float])
        /// `[3 · heads · headDim, hidden]`; output rows are per head `[q, k, v]` (`[heads, 3, headDim]`).
        let queryKeyValue: Linear
        let dense: Linear
        let up: Linear  // dense_h_to_4h
        let down: Linear  // dense_4h_to_h
    }

    public let config: ModelConfig
    public let linearShapes: [String: [Int]]
    let embedIn: Tensor
    let layers: [Layer]
    let finalNorm: (weight: [Float], bias: [Float])
    /// `embed_out`, or `embed_in` when tied.
    let output: WeightMatrix
    let rotary: RotaryEmbedding

    /// Looks up every tensor `WeightManifest(config:)` lists, checked before any compute.
    public init(config: ModelConfig, weights: any WeightStore, format: WeightMatrix.Format? = nil) throws {
        guard config.architecture == .gptNeoX else { throw ModelError.wrongArchitecture(expected: .gptNeoX, found: config.architecture) }
        guard config.keyValueHeadCount == config.headCount else {
            throw ModelError.invalidConfig("GPT-NeoX has no grouped-query attention, but keyValueHeadCount \(config.keyValueHeadCount) ≠ headCount \(config.headCount)")
        }
        let w = try ModelWeights(config: config, store: weights, format: format)
        self.config = config
        embedIn = w.tensor("gpt_neox.embed_in.weight")
        layers = (0..<config.layerCount).map { layer in
            let p = "gpt_neox.layers.\(layer)."
            return Layer(
                inputNorm: (w.floats(p + "input_layernorm.weight"), w.floats(p + "input_layernorm.bias")),
                postAttentionNorm: (w.floats(p + "post_attention_layernorm.weight"), w.floats(p + "post_attention_layernorm.bias")),
                queryKeyValue: w.linear(p + "attention.query_key_value", bias: config.attentionBias),
                dense: w.linear(p + "attention.dense", bias: config.attentionOutputBias),
                up: w.linear(p + "mlp.dense_h_to_4h", bias: config.mlpBias),
                down: w.linear(p + "mlp.dense_4h_to_h", bias: config.mlpBias))
        }
        finalNorm = (w.floats("gpt_neox.final_layer_norm.weight"), w.floats("gpt_neox.final_layer_norm.bias"))
        output = w.matrix(config.tiedEmbeddings ? "gpt_neox.embed_in.weight" : "embed_out.weight")
        rotary = RotaryEmbedding(dimension: config.rotaryDimension, theta: config.ropeTheta, scalingFactor: config.ropeScalingFactor)
        linearShapes = Dictionary(uniqueKeysWithValues: layers.flatMap { [$0.queryKeyValue, $0.dense, $0.up, $0.down] }.map { ($0.name, $0.weight.shape) })
    }

    // MARK: Forward

    public func logits(batch: inout [ForwardSequence]) throws -> [[Float]] {
        let layout = try BatchLayout(batch, model: self, rotary: rotary)
        guard layout.rows > 0 else { return [] }
        let n = layout.rows, d = config.hiddenSize, heads = config.headCount, hd = config.headDimension
        let a = heads * hd, m = config.intermediateSize, eps = config.normEpsilon, spans = layout.spans

        let x = FloatBuffer(count: n * d)  // [n, d] the residual stream, every sequence's rows stacked
        layout.embed(batch, table: embedIn, into: x.pointer)

        let h = FloatBuffer(count: n * d)  // [n, d] normed input of a branch
        let qkv = FloatBuffer(count: n * 3 * a)  // [n, heads, 3, hd]
        let q = FloatBuffer(count: n * a), k = FloatBuffer(count: n * a), v = FloatBuffer(count: n * a)  // [n, heads, hd]
        let context = FloatBuffer(count: n * a)  // [n, heads, hd] attention output
        let attention = FloatBuffer(count: n * d)  // [n, d] after dense
        let hidden = FloatBuffer(count: n * m)  // [n, m]
        let mlp = FloatBuffer(count: n * d)  // [n, d]

        for (l, layer) in layers.enumerated() {
            // Attention branch: dense(attend(rotary(q), rotary(k), v)) on layerNorm₁(x).
            Kernels.layerNorm(x.pointer, rows: n, dim: d, weight: layer.inputNorm.weight, bias: layer.inputNorm.bias, epsilon: eps, into: h.pointer)
            layer.queryKeyValue(h.pointer, rows: n, into: qkv.pointer, adapters: spans)  // [n, heads, 3, hd]
            for row in 0..<(n * heads) {  // split the per-head interleaved [q, k, v]
                let source = qkv.pointer + row * 3 * hd
                (q.pointer + row * hd).update(from: source, count: hd)
                (k.pointer + row * hd).update(from: source + hd, count: hd)
                (v.pointer + row * hd).update(from: source + 2 * hd, count: hd)
            }
            layout.attend(
                q: q.pointer, k: k.pointer, v: v.pointer, heads: heads, keyValueHeads: heads, headDimension: hd,
                rotaryDimension: rotary.dimension, layer: l, batch: &batch, into: context.pointer)
            layer.dense(context.pointer, rows: n, into: attention.pointer, adapters: spans)  // [n, d]

            if config.parallelResidual {
                // x = x + attention(ln₁(x)) + mlp(ln₂(x)), summed as transformers does: (mlp + attn) + x.
                Kernels.layerNorm(x.pointer, rows: n, dim: d, weight: layer.postAttentionNorm.weight, bias: layer.postAttentionNorm.bias, epsilon: eps, into: h.pointer)
                feedForward(layer, h.pointer, rows: n, hidden: hidden.pointer, into: mlp.pointer, adapters: spans)
                Kernels.add(mlp.pointer, attention.pointer, into: mlp.pointer, count: n * d)
                Kernels.add(mlp.pointer, x.pointer, into: x.pointer, count: n * d)
            } else {
                // x = x + attention(ln₁(x)); x = x + mlp(ln₂(x)).
                Kernels.add(attention.pointer, x.pointer, into: x.pointer, count: n * d)
                Kernels.layerNorm(x.pointer, rows: n, dim: d, weight: layer.postAttentionNorm.weight, bias: layer.postAttentionNorm.bias, epsilon: eps, into: h.pointer)
                feedForward(layer, h.pointer, rows: n, hidden: hidden.pointer, into: mlp.pointer, adapters: spans)
                Kernels.add(mlp.pointer, x.pointer, into: x.pointer, count: n * d)
            }
        }
        layout.commit(&batch)

        // Output: embed_out(finalLayerNorm(x)) for each sequence's last (or every) position.
        return layout.logits(
            x.pointer, dim: d, vocabularySize: config.vocabularySize, batch: batch,
            norm: { source, rows, target in
                Kernels.layerNorm(source, rows: rows, dim: d, weight: finalNorm.weight, bias: finalNorm.bias, epsilon: eps, into: target)
            },
            head: { source, rows, target in Kernels.linear(source, rows: rows, weight: output, bias: nil, into: target) })
    }

    /// `dense_4h_to_h(act(dense_h_to_4h(h)))`: `h` `[rows, d]`, `hidden` scratch `[rows, m]`, `out` `[rows, d]`.
    private func feedForward(
        _ layer: Layer, _ h: UnsafePointer<Float>, rows: Int, hidden: UnsafeMutablePointer<Float>,
        into out: UnsafeMutablePointer<Float>, adapters: [AdapterSpan]
    ) {
        layer.up(h, rows: rows, into: hidden, adapters: adapters)
        Kernels.activate(config.activation, hidden, count: rows * config.intermediateSize)
        layer.down(hidden, rows: rows, into: out, adapters: adapters)
    }
}
