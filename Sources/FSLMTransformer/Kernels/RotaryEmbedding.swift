import Foundation

/// Rotary position embeddings in the `rotate_half` convention (GPT-NeoX, Llama, Qwen2 in
/// transformers): the first `dimension` features of each head are split into halves
/// `(x₁, x₂)` and rotated pairwise, `(x₁ cos θ - x₂ sin θ, x₂ cos θ + x₁ sin θ)`, with
/// `θᵢ = position · invFreqᵢ`; the rest of the head passes through (partial rotary).
public struct RotaryEmbedding: Sendable, Hashable {
    /// Rotated features per head (even).
    public let dimension: Int
    /// `1 / θ^(2i/dimension) / scalingFactor` for `i` in `0..<dimension/2`, in f32 as
    /// transformers computes it (linear scaling divides the frequencies).
    public let inverseFrequencies: [Float]

    public init(dimension: Int, theta: Double, scalingFactor: Double = 1) {
        precondition(dimension % 2 == 0, "rotary dimension \(dimension) is odd")
        self.dimension = dimension
        inverseFrequencies = stride(from: 0, to: dimension, by: 2).map { i in
            1 / pow(Float(theta), Float(i) / Float(dimension)) / Float(scalingFactor)
        }
    }

    /// `cos θᵢ` and `sin θᵢ` for `count` consecutive positions from `start`:
    /// two `[count, dimension/2]` tables, computed in f32 (`position · invFreq`, then cos/sin).
    public func table(start: Int, count: Int) -> (cos: [Float], sin: [Float]) {
        let half = dimension / 2
        var cosines = [Float](repeating: 0, count: count * half), sines = cosines
        for t in 0..<count {
            for i in 0..<half {
                let angle = Float(start + t) * inverseFrequencies[i]
                cosines[t * half + i] = cos(angle)
                sines[t * half + i] = sin(angle)
            }
        }
        return (cosines, sines)
    }
}

extension Kernels {
    /// Rotates the first `rotaryDimension` features of each of `heads` heads of one position
    /// in place; `x` is `[heads, headDimension]`, `cos`/`sin` hold `rotaryDimension/2` values.
    public static func applyRotary(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headDimension: Int, rotaryDimension: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = rotaryDimension / 2
        for h in 0..<heads {
            let head = x + h &* headDimension
            for i in 0..<half {
                let x1 = head[i], x2 = head[i &+ half]
                head[i] = x1 * cos[i] - x2 * sin[i]
                head[i &+ half] = x2 * cos[i] + x1 * sin[i]
            }
        }
    }
}
