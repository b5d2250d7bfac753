import Foundation

/// Naive twins of `Kernels`: the formulas written as plainly as possible, over arrays, with
/// f64 accumulation and weights read element by element through `Tensor.float(at:)`. Slow on
/// purpose; `KernelTests` checks each optimised kernel against its twin.
public enum ReferenceKernels {
    /// `y = x Wᵀ + b`: `x` `[rows, in]`, `weight` `[out, in]`, result `[rows, out]`.
    public static func linear(_ x: [Float], rows: Int, weight: Tensor, bias: [Float]?) -> [Float] {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        var y = [Float](repeating: 0, count: rows * outFeatures)
        for r in 0..<rows {
            for o in 0..<outFeatures {
                var sum = Double(bias?[o] ?? 0)
                for i in 0..<inFeatures {
                    sum += Double(x[r * inFeatures + i]) * Double(weight.float(at: o * inFeatures + i))
                }
                y[r * outFeatures + o] = Float(sum)
            }
        }
        return y
    }

    /// LayerNorm of each row: `(x - mean) / sqrt(var + eps) * weight + bias`.
    public static func layerNorm(_ x: [Float], dim: Int, weight: [Float], bias: [Float], epsilon: Float) -> [Float] {
        rowwise(x, dim: dim) { row in
            let mean = row.reduce(0, +) / Double(dim)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(dim)
            return (0..<dim).map { ($0, (row[$0] - mean) / (variance + Double(epsilon)).squareRoot()) }
                .map { i, v in v * Double(weight[i]) + Double(bias[i]) }
        }
    }

    /// RMSNorm of each row: `weight * x / sqrt(mean(x²) + eps)`.
    public static func rmsNorm(_ x: [Float], dim: Int, weight: [Float], epsilon: Float) -> [Float] {
        rowwise(x, dim: dim) { row in
            let rms = (row.map { $0 * $0 }.reduce(0, +) / Double(dim) + Double(epsilon)).squareRoot()
            return (0..<dim).map { Double(weight[$0]) * row[$0] / rms }
        }
    }

    public static func gelu(_ x: [Float]) -> [Float] {
        x.map { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
    }

    public static func geluTanh(_ x: [Float]) -> [Float] {
        x.map { v in
            let d = Double(v)
            return Float(0.5 * d * (1 + tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d))))
        }
    }

    public static func silu(_ x: [Float]) -> [Float] {
        x.map { v in Float(Double(v) / (1 + exp(-Double(v)))) }
    }

    public static func softmax(_ x: [Float]) -> [Float] {
        let maximum = Double(x.max() ?? 0)
        let e = x.map { exp(Double($0) - maximum) }
        let sum = e.reduce(0, +)
        return e.map { Float($0 / sum) }
    }

    public static func add(_ a: [Float], _ b: [Float]) -> [Float] { zip(a, b).map { $0 + $1 } }

    public static func multiply(_ a: [Float], _ b: [Float]) -> [Float] { zip(a, b).map { $0 * $1 } }

    /// Rotary embedding of one position, `x` `[heads, headDimension]`, written from the
    /// transformers formula `x * cos + rotate_half(x) * sin` on the first `rotaryDimension`
    /// features, with angles from scratch in f64.
    public static func rotary(
        _ x: [Float], heads: Int, headDimension: Int, rotaryDimension: Int, position: Int, theta: Double,
        scalingFactor: Double = 1
    ) -> [Float] {
        var out = x
        let half = rotaryDimension / 2
        for h in 0..<heads {
            let head = Array(x[(h * headDimension)..<(h * headDimension + rotaryDimension)])
            let rotated = head[half...].map { -$0 } + head[..<half]  // rotate_half
            for i in 0..<rotaryDimension {
                let frequency = 1 / pow(theta, Double(2 * (i % half)) / Double(rotaryDimension)) / scalingFactor
                let angle = Double(position) * frequency
                out[h * headDimension + i] = Float(Double(head[i]) * cos(angle) + Double(rotated[i]) * sin(angle))
            }
        }
        return out
    }

    /// Causal attention, shapes as in `Kernels.causalAttention`, one query at a time.
    public static func causalAttention(
        queries: [Float], keys: [Float], values: [Float], start: Int, queryCount: Int, heads: Int, keyValueHeads: Int,
        headDimension: Int, scale: Float
    ) -> [Float] {
        var out = [Float](repeating: 0, count: queryCount * heads * headDimension)
        for t in 0..<queryCount {
            for h in 0..<heads {
                let kvHead = h / (heads / keyValueHeads)
                let q = Array(queries[((t * heads + h) * headDimension)...].prefix(headDimension))
                func row(_ m: [Float], _ j: Int) -> ArraySlice<Float> {
                    m[((j * keyValueHeads + kvHead) * headDimension)...].prefix(headDimension)
                }
                let scores = (0...(start + t)).map { j in
                    Float(zip(q, row(keys, j)).map { Double($0) * Double($1) }.reduce(0, +)) * scale
                }
                let weights = softmax(scores)
                for d in 0..<headDimension {
                    let v = weights.indices.map { j in Double(weights[j]) * Double(row(values, j)[row(values, j).startIndex + d]) }
                    out[(t * heads + h) * headDimension + d] = Float(v.reduce(0, +))
                }
            }
        }
        return out
    }

    private static func rowwise(_ x: [Float], dim: Int, _ f: ([Double]) -> [Double]) -> [Float] {
        stride(from: 0, to: x.count, by: dim).flatMap { start in
            f(x[start..<(start + dim)].map(Double.init)).map(Float.init)
        }
    }
}
