/// Every word a figure draws by itself (titles, axis names, captions), so a report in Korean gets
/// Korean figures. Data — file names, feature names, numbers — comes from the caller as is.
///
/// `english` and `korean` are ready to use; Reports may build its own from its string tables.
public struct FigureLabels: Equatable, Sendable {
    // Similarity grid
    public var similarityGridTitle: String
    public var candidate: String
    public var nearDuplicate: String
    public var noMatches: String
    /// Prefix of a match's score, e.g. "cosine" in "cosine 0.912".
    public var cosine: String
    // Similarity heatmap
    public var heatmapTitle: String
    public var candidates: String
    public var popularCovers: String
    public var cosineSimilarity: String
    // Training curves
    public var lossTitle: String
    public var validationTitle: String
    public var epoch: String
    public var lossAxis: String
    public var scoreAxis: String
    public var train: String
    public var validation: String
    public var auc: String
    public var accuracy: String
    /// "best epoch 9": the epoch number follows.
    public var bestEpoch: String
    // Palettes
    public var palettesTitle: String
    public var noColours: String
    // Distributions
    /// "Distribution of brightness": the feature name follows.
    public var distributionOf: String
    public var popular: String
    public var other: String
    public var shareOfGroup: String
    // Grad-CAM
    public var gradCAMTitle: String
    public var cover: String
    public var overlay: String
    public var attention: String
    public var low: String
    public var high: String

    public static let english = FigureLabels(
        similarityGridTitle: "Most similar popular covers", candidate: "candidate", nearDuplicate: "near-duplicate",
        noMatches: "No popular covers to compare with.", cosine: "cosine",
        heatmapTitle: "Similarity to popular covers", candidates: "candidates", popularCovers: "popular covers",
        cosineSimilarity: "cosine similarity",
        lossTitle: "Loss", validationTitle: "Validation", epoch: "epoch", lossAxis: "binary cross-entropy",
        scoreAxis: "score", train: "train", validation: "validation", auc: "AUC", accuracy: "accuracy",
        bestEpoch: "best epoch",
        palettesTitle: "Colour palettes", noColours: "no colours",
        distributionOf: "Distribution of", popular: "popular", other: "other", shareOfGroup: "share of group",
        gradCAMTitle: "Where the model looks", cover: "cover", overlay: "Grad-CAM overlay", attention: "attention",
        low: "low", high: "high")

    public static let korean = FigureLabels(
        similarityGridTitle: "가장 비슷한 인기 표지", candidate: "후보", nearDuplicate: "유사 중복",
        noMatches: "비교할 인기 표지가 없습니다.", cosine: "코사인",
        heatmapTitle: "인기 표지와의 유사도", candidates: "후보 표지", popularCovers: "인기 표지",
        cosineSimilarity: "코사인 유사도",
        lossTitle: "손실", validationTitle: "검증", epoch: "에포크", lossAxis: "이진 교차 엔트로피",
        scoreAxis: "점수", train: "학습", validation: "검증", auc: "AUC", accuracy: "정확도",
        bestEpoch: "최적 에포크",
        palettesTitle: "색상 팔레트", noColours: "색상 없음",
        distributionOf: "분포:", popular: "인기", other: "기타", shareOfGroup: "그룹 내 비율",
        gradCAMTitle: "모델이 주목하는 곳", cover: "표지", overlay: "Grad-CAM 오버레이", attention: "주목도",
        low: "낮음", high: "높음")
}
