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
    let k: Int

    var usesHead: Bool { model.popularityHead != nil }

    /// The head's p(popular) for each row of raw embeddings [N, D]; nil without a trained head.
    var headScores: ((Tensor) -> [Double])? {
        guard let head = model.popularityHead else { return nil }
        return { embeddings in
            guard embeddings.shape[0] > 0 else { return [] }
            return head.forward(embeddings).storage.map { Self.sigmoid(Double($0)) }
        }
    }

    /// Scores of the candidates (raw [M, D], with their top-`k` matches already found), of every
    /// popular cover (leaving itself out) and of every other cover.
    func scores(candidates: Tensor, candidateMatches: [[SimilaritySearch.Match]],
                embeddings: CoverEmbeddings) -> (candidates: [Double], popular: [Double], other: [Double]) {
        if let headScores, let raw = embeddings.rawScores {
            return (headScores(candidates), raw.popular, raw.other)
        }
        return (similarityScores(candidateMatches, excludingSelf: false),
                similarityScores(embeddings.popularMatches(k: k + 1), excludingSelf: true),
                similarityScores(embeddings.otherMatches(k: k), excludingSelf: false))
    }

    /// Mean cosine of each row's matches. With `excludingSelf`, row i is popular cover i and its
    /// `k + 1` matches may include itself, which is left out.
    func similarityScores(_ found: [[SimilaritySearch.Match]], excludingSelf: Bool) -> [Double] {
        found.enumerated().map { row, matches in
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
