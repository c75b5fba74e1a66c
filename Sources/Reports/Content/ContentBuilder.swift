import CoverAnalysis
import Foundation
import Rendering

/// Builds the report's `ReportContent` from a result: verdicts, formatted numbers, translated names.
struct ContentBuilder {
    let result: AnalysisResult
    let trainingLog: TrainingLog?
    let strings: ReportStrings
    /// Feature order shared with the figures.
    let featureOrder: [String]

    func build() -> ReportContent {
        let d = result.dataset
        let counts = ["candidates": "\(d.candidateCount)", "popular": "\(d.popularCount)", "other": "\(d.otherCount)"]
        return ReportContent(
            title: strings.text("title"),
            subtitle: strings.text("subtitle", counts),
            generatedBy: strings.text("generated_by", ["generator": result.generator]),
            intro: ([strings.text(d.otherCount > 0 ? "summary.intro_other" : "summary.intro", counts)]
                    + [("summary.sample", d.popularSample), ("summary.sample_other", d.otherSample)].compactMap { key, sample in
                        sample.map { strings.text(key, Self.sampleValues($0)) }
                    }).joined(separator: " "),
            popularityExplanation: strings.text("popularity." + result.popularity.rawValue),
            verdictRule: strings.text(result.popularity == .trainedHead ? "summary.verdict_rule_head" : "summary.verdict_rule_similarity"),
            candidates: result.candidates.enumerated().map { candidate($0.offset, $0.element) },
            ranking: result.common.ranking.map(ranking),
            featureSummary: featureOrder.compactMap { name in
                result.common.popular[name].map { s in
                    ReportContent.FeatureSummaryRow(
                        label: strings.name("feature", name), median: NumberText.feature(s.quartiles.count == 3 ? s.quartiles[1] : nil),
                        quartiles: s.quartiles.count == 3 ? "\(NumberText.feature(s.quartiles[0])) – \(NumberText.feature(s.quartiles[2]))" : "—")
                }
            },
            model: modelRows(), validation: validationRows(), settings: settingsRows(),
            bestEpoch: bestEpoch(), skipped: result.skipped.map {
                ReportContent.Skipped(folder: strings.name("folder", $0.folder), file: $0.file, reason: $0.reason)
            })
    }

    private func candidate(_ index: Int, _ c: CandidateResult) -> ReportContent.Candidate {
        let verdict = Verdict(probability: result.popularity == .trainedHead ? c.popularity : nil,
                              percentileAmongPopular: c.percentileAmongPopular)
        let duplicateOf = Verdict.nearDuplicateOf(c)
        let features = featureOrder.filter { c.features[$0] != nil } + c.features.keys.filter { !featureOrder.contains($0) }.sorted()
        return ReportContent.Candidate(
            number: index + 1, anchor: "candidate-\(index + 1)", name: c.file, cover: CoverKey(role: .candidates, file: c.file),
            popularity: NumberText.score(c.popularity), percentile: NumberText.percentile(c.percentileAmongPopular),
            percentileValue: c.percentileAmongPopular,
            percentileOther: c.percentileAmongOther.map { NumberText.percentile($0) },
            verdict: verdict, verdictText: strings.text(verdict.textKey),
            warning: duplicateOf.map { nearDuplicateWarning(file: $0, c.copyCheck) },
            cluster: c.styleCluster.map { strings.text("candidate.cluster_name", ["index": "\($0)"]) } ?? strings.text("none"),
            matches: c.matches.enumerated().map {
                ReportContent.Match(rank: $0.offset + 1, name: $0.element.file, cosine: NumberText.fixed($0.element.cosine, 3),
                                    nearDuplicate: $0.element.nearDuplicate)
            },
            features: features.map { name in
                let p = c.featurePercentiles[name]
                return ReportContent.Feature(label: strings.name("feature", name), value: NumberText.feature(c.features[name]),
                                             percentile: NumberText.percentile(p), percentileValue: p)
            })
    }

    /// "⚠ near-duplicate of X: copy similarity …" with the detector's numbers and thresholds.
    private func nearDuplicateWarning(file: String, _ check: CopyCheck?) -> String {
        let c = result.settings.copyDetection
        func number(_ value: Double?) -> String { value.map { NumberText.fixed($0, 3) } ?? "—" }
        return strings.text("verdict.near_duplicate", [
            "file": file, "similarity": number(check?.similarity), "threshold": number(c?.threshold),
            "margin": check.map { CopyWording.ratio($0.margin) } ?? "—", "margin_threshold": c.map { CopyWording.ratio($0.marginThreshold) } ?? "—",
        ])
    }

    /// The two thresholds and where they came from (learned from the popular set, or fixed).
    private func copyThresholds(_ c: CopyCalibration) -> String {
        strings.text(c.source == .popularSet ? "diagnostics.threshold_learned" : "diagnostics.threshold_fixed", [
            "threshold": NumberText.fixed(c.threshold, 3), "margin_threshold": CopyWording.ratio(c.marginThreshold),
            "count": "\(c.popularCount)",
        ])
    }

    /// Cohen's conventional thresholds: 0.2 small, 0.5 medium, 0.8 large.
    private func ranking(_ e: FeatureEffect) -> ReportContent.Ranking {
        let size = abs(e.effectSize)
        let strength = size >= 0.8 ? "large" : size >= 0.5 ? "medium" : size >= 0.2 ? "small" : "negligible"
        let effect = NumberText.fixed(e.effectSize, 2)
        // The direction follows the printed number: an effect shown as 0.00 has none.
        let direction = effect == "0.00" ? "common.direction_same" : e.effectSize > 0 ? "common.direction_higher" : "common.direction_lower"
        return ReportContent.Ranking(
            label: strings.name("feature", e.feature), effect: effect,
            strength: strings.text("common.strength_" + strength), direction: strings.text(direction))
    }

    private func modelRows() -> [ReportContent.Row] {
        let m = result.model
        var rows: [ReportContent.Row] = [
            .init(label: strings.text("diagnostics.architecture"), value: m.architecture),
            .init(label: strings.text("diagnostics.file"), value: m.file),
            .init(label: strings.text("diagnostics.trained_head"), value: strings.text(m.hasTrainedHead ? "yes" : "no")),
        ]
        // What train chose and why, as its log says it (in English, like the log).
        if let training = m.training { rows.append(.init(label: strings.text("diagnostics.trained_how"), value: training)) }
        return rows + [
            .init(label: strings.text("diagnostics.fingerprint"), value: m.fingerprint, monospaced: true),
            .init(label: strings.text("diagnostics.preprocessing"), value: m.preprocessing, monospaced: true),
        ]
    }

    /// The order a reader takes the validation metrics in: how many covers, how often right, the
    /// ranking quality, the loss and threshold, then the confusion counts (popular first); keys
    /// this list does not know come last, by name.
    static let metricOrder = ["count", "accuracy", "auc", "rocAUC", "precision", "recall", "f1", "loss", "threshold",
                              "truePositives", "falseNegatives", "trueNegatives", "falsePositives", "bestEpoch"]

    private func validationRows() -> [ReportContent.Row] {
        func rank(_ key: String) -> Int { Self.metricOrder.firstIndex(of: key) ?? Self.metricOrder.count }
        return (result.model.validation ?? [:]).sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }.map {
            .init(label: strings.name("metric", $0.key), value: Self.metricText($0.key, $0.value))
        }
    }

    private func settingsRows() -> [ReportContent.Row] {
        let d = result.dataset, s = result.settings
        func folder(_ name: String, _ count: Int, sample: SampleSummary? = nil) -> String {
            "\(name) — " + (sample.map { strings.text("diagnostics.sample", Self.sampleValues($0)) }
                            ?? strings.text("diagnostics.count", ["count": "\(count)"]))
        }
        var rows: [ReportContent.Row] = [
            .init(label: strings.text("diagnostics.folder_popular"), value: folder(d.popularFolder, d.popularCount, sample: d.popularSample)),
        ]
        if let other = d.otherFolder {
            rows.append(.init(label: strings.text("diagnostics.folder_other"), value: folder(other, d.otherCount, sample: d.otherSample)))
        }
        rows += [
            .init(label: strings.text("diagnostics.folder_candidates"), value: folder(d.candidatesFolder, d.candidateCount)),
            .init(label: strings.text("diagnostics.top_k"), value: "\(s.topK)"),
            .init(label: strings.text("diagnostics.threshold"), value: s.copyDetection.map(copyThresholds) ?? "—"),
            .init(label: strings.text("diagnostics.seed"), value: "\(s.seed)"),
        ]
        return rows
    }

    /// A sample's size, its collection's size and its seed, as the strings' placeholders.
    static func sampleValues(_ sample: SampleSummary) -> [String: String] {
        ["size": "\(sample.size)", "total": "\(sample.total)", "seed": "\(sample.seed)"]
    }

    /// The kept epoch, as the trainer chose it: the highest validation AUC (the log says which).
    private func bestEpoch() -> String? {
        guard let log = trainingLog else { return nil }
        let best = log.bestEpoch ?? TrainingCurves.highestAUC(log.epochs.map {
            Rendering.EpochMetrics(epoch: $0.epoch, trainLoss: $0.trainLoss, validationAUC: $0.validationAUC)
        })
        return best.map { strings.text("diagnostics.best_epoch", ["epoch": "\($0)"]) }
    }

    /// Counts (confusion-matrix cells, the number of covers) as whole numbers; rates to 3 decimals.
    static func metricText(_ key: String, _ value: Double) -> String {
        let counts: Set<String> = ["count", "truePositives", "trueNegatives", "falsePositives", "falseNegatives"]
        return counts.contains(key) && value.isFinite ? String(format: "%.0f", value) : NumberText.fixed(value, 3)
    }
}
