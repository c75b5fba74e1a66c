/// Small built-in vocabularies for titles and authors, per style and language. Titles are
/// made as "adjective noun" or "noun of noun" (English) and "관형어 명사" (Korean).
enum WordLists {
    struct Vocabulary {
        let adjectives: [String]
        let nouns: [String]
    }

    static func vocabulary(_ style: CoverStyle, _ language: TitleLanguage) -> Vocabulary {
        switch (style, language) {
        case (.thriller, .english):
            Vocabulary(adjectives: ["Silent", "Last", "Broken", "Cold", "Hidden", "Dead", "Final", "Dark", "Burning", "Lost"],
                       nouns: ["Witness", "Night", "Alibi", "Target", "Signal", "Verdict", "Code", "Stranger", "Hour", "Trace"])
        case (.thriller, .korean):
            Vocabulary(adjectives: ["침묵의", "마지막", "검은", "차가운", "숨겨진", "붉은", "잊힌", "위험한", "낯선", "깊은"],
                       nouns: ["증인", "밤", "알리바이", "표적", "신호", "판결", "암호", "이방인", "시간", "흔적"])
        case (.romance, .english):
            Vocabulary(adjectives: ["Sweet", "Summer", "Secret", "Tender", "Golden", "Endless", "Little", "Wild", "Gentle", "Second"],
                       nouns: ["Promise", "Kiss", "Heart", "Letters", "Rose", "Season", "Dance", "Garden", "Chance", "Vow"])
        case (.romance, .korean):
            Vocabulary(adjectives: ["달콤한", "여름의", "비밀의", "다정한", "눈부신", "끝없는", "작은", "설레는", "따뜻한", "두 번째"],
                       nouns: ["약속", "입맞춤", "마음", "편지", "장미", "계절", "춤", "정원", "인연", "고백"])
        case (.scienceFiction, .english):
            Vocabulary(adjectives: ["Quantum", "Distant", "Red", "Hollow", "Infinite", "Silent", "Orbital", "Binary", "Fallen", "Neon"],
                       nouns: ["Star", "Horizon", "Colony", "Signal", "Machine", "Drift", "Nebula", "Empire", "Station", "Frontier"])
        case (.scienceFiction, .korean):
            Vocabulary(adjectives: ["양자", "먼", "붉은", "텅 빈", "무한한", "고요한", "궤도의", "잃어버린", "푸른", "마지막"],
                       nouns: ["별", "지평선", "식민지", "신호", "기계", "표류", "성운", "제국", "정거장", "행성"])
        case (.literary, .english):
            Vocabulary(adjectives: ["Quiet", "Small", "Patient", "Distant", "Ordinary", "Late", "Brief", "Open", "Unfinished", "Pale"],
                       nouns: ["House", "River", "Years", "Weather", "Light", "Field", "Room", "Window", "Harvest", "Shore"])
        case (.literary, .korean):
            Vocabulary(adjectives: ["조용한", "작은", "오래된", "먼", "평범한", "늦은", "짧은", "열린", "흰", "희미한"],
                       nouns: ["집", "강", "세월", "날씨", "빛", "들판", "방", "창문", "계절", "바닷가"])
        case (.children, .english):
            Vocabulary(adjectives: ["Happy", "Busy", "Sleepy", "Brave", "Little", "Silly", "Magic", "Bouncy", "Tiny", "Jolly"],
                       nouns: ["Bear", "Rabbit", "Moon", "Train", "Dragon", "Duck", "Balloon", "Kitten", "Rocket", "Garden"])
        case (.children, .korean):
            Vocabulary(adjectives: ["행복한", "바쁜", "졸린", "용감한", "꼬마", "엉뚱한", "마법의", "통통", "아기", "신나는"],
                       nouns: ["곰", "토끼", "달님", "기차", "공룡", "오리", "풍선", "고양이", "로켓", "친구"])
        }
    }

    static let englishFirstNames = ["Anna", "James", "Clara", "Daniel", "Maya", "Oliver", "Helen", "Samuel", "Iris", "Thomas",
                                    "Nora", "Lucas", "Ruth", "Adrian", "Eva", "Marcus"]
    static let englishSurnames = ["Hale", "Morgan", "Whitaker", "Lind", "Carver", "Ellis", "Brooks", "Stone", "Reyes", "Quinn",
                                  "Ashford", "Bell", "Novak", "Harper", "Frost", "Wells"]
    static let koreanSurnames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "서"]
    static let koreanGivenNames = ["민준", "서연", "지우", "하은", "도윤", "수아", "예준", "지호", "유진", "현우", "소연", "은별"]

    /// Small lines publishers add (taglines, series marks): the "busy" in a busy cover.
    static func taglines(_ language: TitleLanguage) -> [String] {
        switch language {
        case .english: ["A NOVEL", "The new bestseller", "Now a major series", "\"Impossible to put down\"",
                        "Winner of the Prize", "Book One", "From the author of The Long Road", "Special edition"]
        case .korean: ["장편소설", "베스트셀러 작가의 신작", "드라마 원작", "\"손을 뗄 수 없다\"",
                       "문학상 수상작", "제1권", "밀리언셀러", "특별 한정판"]
        }
    }

    static func badges(_ language: TitleLanguage) -> [String] {
        switch language {
        case .english: ["NEW", "No. 1", "SALE", "BEST"]
        case .korean: ["신간", "화제작", "추천", "1위"]
        }
    }
}
