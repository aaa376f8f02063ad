import Foundation

/// A binary min-heap of the shards' current row numbers.
struct MinimumRows {
    private var entries: [(row: Int64, file: Int)] = []

    mutating func insert(row: Int64, file: Int) {
        entries.append((row, file))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].row < entries[parent].row else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMinimum() -> (row: Int64, file: Int)? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return top }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].row < entries[smallest].row { smallest = left }
            if right < entries.count && entries[right].row < entries[smallest].row { smallest = right }
            guard smallest != parent else { return top }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
