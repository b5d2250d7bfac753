/// Where the sequences of a batched forward pass sit in its stacked rows, and the steps the
/// architectures share: per batch (embedding, the output head) or per sequence (rotary and
/// attention against the sequence's own cache, committing its new positions).
///
/// Sequence `i`'s new tokens are rows `offsets[i] ..< offsets[i] + counts[i]` of every
/// activation (`[rows, features]`), so a `Linear` runs over all rows at once and applies
/// each sequence's adapter to its own span.
struct BatchLayout {
    /// First row of each sequence.
    let offsets: [Int]
    /// New tokens of each sequence.
    let counts: [Int]
    /// Rows of the whole batch (the sum of `counts`).
    let rows: Int
    /// One span per sequence, with its adapter (or none).
    let spans: [AdapterSpan]
    /// Rotary `cos`/`sin` tables of each sequence's new positions.
    let angles: [(cos: [Float], sin: [Float])]

    /// Checks every sequence as a single forward pass would (nothing is computed if one
    /// fails) and lays the batch out in order.
    init(_ batch: [ForwardSequence], model: some TransformerModel, rotary: RotaryEmbedding) throws {
        var offsets: [Int] = [], counts: [Int] = [], spans: [AdapterSpan] = [], rows = 0
        for sequence in batch {
            try model.checkInputs(sequence.tokens, cache: sequence.cache, adapter: sequence.adapter)
            offsets.append(rows)
            counts.append(sequence.tokens.count)
            spans.append(AdapterSpan(rows: rows..<(rows + sequence.tokens.count), adapter: sequence.adapter))
            rows += sequence.tokens.count
        }
        self.offsets = offsets
        self.counts = counts
        self.rows = rows
        self.spans = spans
        angles = batch.map { rotary.table(start: $0.cache.count, count: $0.tokens.count) }
    }

    /// The embedding rows of every sequence's tokens into `x` (`[rows, dim]`).
    func embed(_ batch: [ForwardSequence], table: Tensor, into x: UnsafeMutablePointer<Float>) {
        let dim = table.shape[1]
        for (i, sequence) in batch.enumerated() { Kernels.embed(sequence.tokens, table: table, into: x + offsets[i] * dim) }
    }

    /// Rotary, cache append and causal attention for each sequence on its own rows of `q`
    /// (`[rows, heads, hd]`), `k` and `v` (`[rows, keyValueHeads, hd]`), into its rows of
    /// `context` (`[rows, heads, hd]`), at `layer` of its own cache.
    func attend(
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        heads: Int, keyValueHeads: Int, headDimension hd: Int, rotaryDimension: Int, layer: Int,
        batch: inout [ForwardSequence], into context: UnsafeMutablePointer<Float>
    ) {
        let queryRow = heads * hd, keyRow = keyValueHeads * hd
        for i in batch.indices {
            let first = offsets[i]
            Kernels.rotaryAttention(
                q: q + first * queryRow, k: k + first * keyRow, v: v + first * keyRow, positions: counts[i],
                heads: heads, keyValueHeads: keyValueHeads, headDimension: hd, rotaryDimension: rotaryDimension,
                angles: angles[i], layer: layer, cache: &batch[i].cache, into: context + first * queryRow)
        }
    }

    /// Makes every sequence's new positions part of its cache (after the last layer).
    func commit(_ batch: inout [ForwardSequence]) {
        for i in batch.indices { batch[i].cache.commit(positions: counts[i]) }
    }

    /// The output head: `norm` (`(source, rows, target)`, `[rows, dim]` each) on the last
    /// row of each sequence, or all its rows when it asks, then `head` (`(source, rows,
    /// target)`: `[rows, dim]` to `[rows, vocabularySize]`) once over all of them; the logits of
    /// each sequence, row-major.
    func logits(
        _ x: UnsafePointer<Float>, dim: Int, vocabularySize vocabulary: Int, batch: [ForwardSequence],
        norm: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void,
        head: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void
    ) -> [[Float]] {
        let firsts = batch.indices.map { batch[$0].allPositions ? offsets[$0] : offsets[$0] + counts[$0] - 1 }
        let outputRows = batch.indices.map { batch[$0].allPositions ? counts[$0] : 1 }
        let total = outputRows.reduce(0, +)
        let normed = FloatBuffer(count: total * dim)  // [total, dim]
        var row = 0
        for i in batch.indices {
            norm(x + firsts[i] * dim, outputRows[i], normed.pointer + row * dim)
            row += outputRows[i]
        }
        let logits = FloatBuffer(count: total * vocabulary)  // [total, vocab]
        head(normed.pointer, total, logits.pointer)
        let base = logits.pointer
        row = 0
        return outputRows.map { count in
            defer { row += count }
            return Array(UnsafeBufferPointer(start: base + row * vocabulary, count: count * vocabulary))
        }
    }
}
