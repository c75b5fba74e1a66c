import Foundation
import Networks
import Tensors

/// The number behind "popularity": the trained head's p(popular) when the model has one, else a
/// similarity score (mean cosine to the k nearest popular covers).
///
/// Either way the score is also placed among the popular covers' own scores (a percentile), so a
/// publisher reads "0.71" against what bestsellers get. A popular cover's similarity score leaves
/// the cover itself out, or every popular cover would count itself as its own nearest match.
struct PopularityModel {
    let model: CoverModel
    let search: SimilaritySearch
    let k: Int

    var usesHead: Bool { model.popularityHead != nil }

    /// One score per row of `embeddings` [N, D]. With `excludingSelf`, row i is popular cover i.
    func scores(_ embeddings: Tensor, excludingSelf: Bool) -> [Double] {
        guard embeddings.shape[0] > 0 else { return [] }
        if let head = model.popularityHead {
            return head.forward(embeddings).storage.map { Self.sigmoid(Double($0)) }
        }
        let found = search.topMatches(for: embeddings, k: k + (excludingSelf ? 1 : 0))
        return found.enumerated().map { row, matches in
            let kept = excludingSelf ? Array(matches.filter { $0.index != row }.prefix(k)) : matches
            guard !kept.isEmpty else { return 0 }
            return kept.map { Double($0.cosine) }.reduce(0, +) / Double(kept.count)
        }
    }

    static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + (-x).exp) : x.exp / (1 + x.exp)
    }
}

private extension Double {
    var exp: Double { Foundation.exp(self) }
}
