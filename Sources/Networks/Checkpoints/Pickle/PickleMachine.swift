import Foundation

/// A safe subset of Python's unpickler, enough for `torch.save` output (protocols 2–5).
///
/// It interprets opcodes into `PickleValue`s and never executes anything: GLOBAL resolves only
/// the names in `PickleGlobal`, REDUCE only calls those (building dicts and tensor
/// descriptions), and storages stay persistent ids for the caller to fill from the file.
/// Every length is checked against the bytes that remain before anything is allocated.
struct PickleMachine {
    /// Deeper nesting is refused (state dicts need about 3 levels).
    static let maximumDepth = 100

    private let data: Data
    private let path: String
    private var position: Int
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// Runs one pickle starting at byte `offset` of `data`; returns its value and the offset
    /// just past its STOP opcode (legacy `.pth` files hold several pickles back to back).
    static func load(_ data: Data, from offset: Int = 0, path: String) throws -> (value: PickleValue, end: Int) {
        var machine = PickleMachine(data: data, path: path, position: offset)
        let value = try machine.run()
        return (value, machine.position)
    }

    private init(data: Data, path: String, position: Int) {
        self.data = data
        self.path = path
        self.position = position
    }

    // MARK: - Main loop

    private mutating func run() throws -> PickleValue {
        while true {
            let at = position
            let op = try byte()
            if op == 0x2E {   // STOP
                return try pop(at: at)
            }
            try execute(op, at: at)
        }
    }

    private mutating func execute(_ op: UInt8, at: Int) throws {
        switch op {
        case 0x80: _ = try byte()                                       // PROTO n
        case 0x95: _ = try bytes(8)                                     // FRAME length (framing is a hint)
        case 0x28: marks.append(stack.count)                            // MARK
        case 0x30: _ = try pop(at: at)                                  // POP
        case 0x31: _ = try popMark(at: at)                              // POP_MARK
        case 0x32: stack.append(try top(at: at))                        // DUP
        case 0x4E: stack.append(.none)                                  // NONE
        case 0x88: stack.append(.bool(true))                            // NEWTRUE
        case 0x89: stack.append(.bool(false))                           // NEWFALSE
        case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try littleEndian(4)))))  // BININT
        case 0x4B: stack.append(.int(Int(try byte())))                  // BININT1
        case 0x4D: stack.append(.int(try littleEndian(2)))              // BININT2
        case 0x8A: stack.append(try long(length: Int(try byte()), at: at))          // LONG1
        case 0x8B: stack.append(try long(length: try signedLength(4, at: at), at: at))  // LONG4
        case 0x47: stack.append(.float(try bigEndianDouble()))          // BINFLOAT
        case 0x58: stack.append(.string(try utf8(try signedLength(4, at: at), at: at)))  // BINUNICODE
        case 0x8C: stack.append(.string(try utf8(Int(try byte()), at: at)))        // SHORT_BINUNICODE
        case 0x8D: stack.append(.string(try utf8(try signedLength(8, at: at), at: at)))  // BINUNICODE8
        case 0x55: stack.append(.string(latin1(try bytes(Int(try byte())))))       // SHORT_BINSTRING
        case 0x54: stack.append(.string(latin1(try bytes(try signedLength(4, at: at)))))  // BINSTRING
        case 0x43: stack.append(.bytes(try bytes(Int(try byte()))))     // SHORT_BINBYTES
        case 0x42: stack.append(.bytes(try bytes(try signedLength(4, at: at))))     // BINBYTES
        case 0x8E: stack.append(.bytes(try bytes(try signedLength(8, at: at))))     // BINBYTES8
        case 0x29: stack.append(.tuple([], depth: 1))                   // EMPTY_TUPLE
        case 0x74: stack.append(try tuple(try popMark(at: at), at: at)) // TUPLE
        case 0x85, 0x86, 0x87:                                          // TUPLE1, TUPLE2, TUPLE3
            let n = Int(op - 0x84)
            guard stack.count - (marks.last ?? 0) >= n else { throw bad("TUPLE\(n) on a stack of \(stack.count)", at: at) }
            let items = Array(stack.suffix(n))
            stack.removeLast(n)
            stack.append(try tuple(items, at: at))
        case 0x5D: stack.append(.list(PickleList()))                    // EMPTY_LIST
        case 0x6C: try pushList(try popMark(at: at), at: at)            // LIST
        case 0x61: try append([try pop(at: at)], at: at)                // APPEND
        case 0x65: try append(try popMark(at: at), at: at)              // APPENDS
        case 0x7D: stack.append(.dict(PickleDict()))                    // EMPTY_DICT
        case 0x64:                                                      // DICT
            let items = try popMark(at: at)
            stack.append(.dict(PickleDict()))
            try setItems(items, into: stack.count - 1, at: at)
        case 0x73:                                                      // SETITEM
            let value = try pop(at: at), key = try pop(at: at)
            try setItems([key, value], into: stack.count - 1, at: at)
        case 0x75: try setItems(try popMark(at: at), into: stack.count - 1, at: at)  // SETITEMS
        case 0x63:                                                      // GLOBAL "module\nname\n"
            stack.append(try global(module: try line(at: at), name: try line(at: at), at: at))
        case 0x93:                                                      // STACK_GLOBAL
            let name = try pop(at: at), module = try pop(at: at)
            guard case .string(let n) = name, case .string(let m) = module else {
                throw bad("STACK_GLOBAL needs two strings", at: at)
            }
            stack.append(try global(module: m, name: n, at: at))
        case 0x52:                                                      // REDUCE
            let args = try pop(at: at), callable = try pop(at: at)
            stack.append(try TorchReductions.reduce(callable, args, describe: { bad($0, at: at) }))
        case 0x62:                                                      // BUILD
            let state = try pop(at: at)
            switch try top(at: at) {
            case .dict, .tensor: break   // OrderedDict `_metadata` / tensor state: not needed
            case let other: throw bad("BUILD on \(other.kind) with \(state.kind) state is not supported", at: at)
            }
        case 0x51:                                                      // BINPERSID
            stack.append(try TorchReductions.persistentStorage(try pop(at: at), describe: { bad($0, at: at) }))
        case 0x71: memo[Int(try byte())] = try top(at: at)              // BINPUT
        case 0x72: memo[try littleEndian(4)] = try top(at: at)          // LONG_BINPUT
        case 0x94: memo[memo.count] = try top(at: at)                   // MEMOIZE
        case 0x68: stack.append(try recall(Int(try byte()), at: at))    // BINGET
        case 0x6A: stack.append(try recall(try littleEndian(4), at: at))  // LONG_BINGET
        default:
            throw bad(String(format: "opcode 0x%02x is not supported by the safe reader", op), at: at)
        }
    }

    // MARK: - Stack

    private mutating func pop(at: Int) throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else { throw bad("stack underflow", at: at) }
        return value
    }

    private func top(at: Int) throws -> PickleValue {
        guard let value = stack.last else { throw bad("stack underflow", at: at) }
        return value
    }

    private mutating func popMark(at: Int) throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw bad("no MARK before this opcode", at: at) }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func recall(_ index: Int, at: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw bad("memo entry \(index) read before it is written", at: at) }
        return value
    }

    // MARK: - Containers

    private func tuple(_ items: [PickleValue], at: Int) throws -> PickleValue {
        let depth = 1 + (items.map(\.depth).max() ?? 0)
        guard depth <= Self.maximumDepth else { throw bad("nesting deeper than \(Self.maximumDepth)", at: at) }
        try nest(items, into: nil, at: at)
        return .tuple(items, depth: depth)
    }

    private mutating func pushList(_ items: [PickleValue], at: Int) throws {
        stack.append(.list(PickleList()))
        try append(items, at: at)
    }

    private mutating func append(_ items: [PickleValue], at: Int) throws {
        guard case .list(let list) = try top(at: at) else { throw bad("APPEND to a \(try top(at: at).kind)", at: at) }
        guard !list.isNested else { throw bad("APPEND to a list that is already inside another container", at: at) }
        try nest(items, into: list, at: at)
        list.depth = max(list.depth, 1 + (items.map(\.depth).max() ?? 0))
        guard list.depth <= Self.maximumDepth else { throw bad("nesting deeper than \(Self.maximumDepth)", at: at) }
        list.items.append(contentsOf: items)
    }

    /// Adds alternating key/value `items` to the dict at stack index `index`.
    private mutating func setItems(_ items: [PickleValue], into index: Int, at: Int) throws {
        guard index >= 0, index < stack.count, case .dict(let dict) = stack[index] else {
            throw bad("SETITEM(S) without a dict below", at: at)
        }
        guard items.count % 2 == 0 else { throw bad("SETITEMS with an odd number of items", at: at) }
        guard !dict.isNested else { throw bad("SETITEM(S) on a dict that is already inside another container", at: at) }
        try nest(items, into: dict, at: at)
        dict.depth = max(dict.depth, 1 + (items.map(\.depth).max() ?? 0))
        guard dict.depth <= Self.maximumDepth else { throw bad("nesting deeper than \(Self.maximumDepth)", at: at) }
        for i in stride(from: 0, to: items.count, by: 2) {
            dict.pairs.append((items[i], items[i + 1]))
        }
    }

    /// Marks the lists and dicts among `items` as nested, which freezes them: `torch.save` fills
    /// each container before placing it in another, so only a crafted pickle mutates a nested
    /// one, and refusing that (and a container holding itself) means no container can reach
    /// itself. A reference cycle would leak, and would let `depth` understate the real nesting.
    private func nest(_ items: [PickleValue], into container: AnyObject?, at: Int) throws {
        for item in items {
            let object: AnyObject
            switch item {
            case .list(let list): list.isNested = true; object = list
            case .dict(let dict): dict.isNested = true; object = dict
            default: continue
            }
            guard object !== container else { throw bad("a \(item.kind) cannot contain itself", at: at) }
        }
    }

    private func global(module: String, name: String, at: Int) throws -> PickleValue {
        guard let known = PickleGlobal(rawValue: "\(module).\(name)") else {
            throw bad("unsupported pickle global \(module).\(name) (only PyTorch state dicts are read; nothing is executed)", at: at)
        }
        return .global(known)
    }

    // MARK: - Bytes

    private mutating func byte() throws -> UInt8 {
        guard position < data.count else { throw CheckpointError.truncated(path: path, detail: "the pickle ends at byte \(position) without STOP") }
        defer { position += 1 }
        return data[data.startIndex + position]
    }

    private mutating func bytes(_ count: Int) throws -> Data {
        guard count >= 0, count <= data.count - position else {
            throw CheckpointError.truncated(path: path, detail: "a pickle field of \(count) bytes at byte \(position) runs past the end")
        }
        defer { position += count }
        return data.subdata(in: data.startIndex + position ..< data.startIndex + position + count)
    }

    /// An unsigned little-endian integer of `count` ≤ 8 bytes.
    private mutating func littleEndian(_ count: Int) throws -> Int {
        let raw = try bytes(count)
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        return Int(truncatingIfNeeded: value)
    }

    /// A length field; negative or over the remaining bytes is an error, never an allocation.
    private mutating func signedLength(_ count: Int, at: Int) throws -> Int {
        let value = count == 4 ? Int(Int32(truncatingIfNeeded: try littleEndian(4))) : try littleEndian(count)
        guard value >= 0 else { throw bad("negative length \(value)", at: at) }
        return value
    }

    private mutating func bigEndianDouble() throws -> Double {
        let raw = try bytes(8)
        var bits: UInt64 = 0
        for b in raw { bits = bits << 8 | UInt64(b) }
        return Double(bitPattern: bits)
    }

    private mutating func long(length: Int, at: Int) throws -> PickleValue {
        let raw = [UInt8](try bytes(length))
        guard !raw.isEmpty else { return .int(0) }
        guard raw.count <= 8 else { return .bigInt(raw) }
        let negative = raw[raw.count - 1] & 0x80 != 0
        var value: UInt64 = negative ? ~0 : 0
        for (i, b) in raw.enumerated() {
            value &= ~(0xFF << (8 * UInt64(i)))
            value |= UInt64(b) << (8 * UInt64(i))
        }
        return .int(Int(Int64(bitPattern: value)))
    }

    private mutating func utf8(_ count: Int, at: Int) throws -> String {
        guard let string = String(data: try bytes(count), encoding: .utf8) else { throw bad("invalid UTF-8 string", at: at) }
        return string
    }

    private func latin1(_ raw: Data) -> String {
        String(raw.map { Character(Unicode.Scalar($0)) })
    }

    /// A newline-terminated ASCII line (GLOBAL's operands), at most 256 bytes.
    private mutating func line(at: Int) throws -> String {
        var chars: [UInt8] = []
        while true {
            let b = try byte()
            if b == 0x0A { break }
            chars.append(b)
            guard chars.count <= 256 else { throw bad("GLOBAL name longer than 256 bytes", at: at) }
        }
        return String(decoding: chars, as: UTF8.self)
    }

    private func bad(_ detail: String, at: Int) -> CheckpointError {
        .badPickle(path: path, detail: "\(detail) (byte \(at))")
    }
}
