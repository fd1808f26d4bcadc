// A growable ring buffer: the storage of consumer queues and the GOP cache. Slots are
// reused, so in steady state pushing and popping allocate nothing (a std::list would
// allocate a node per message per consumer; a std::deque a block every few messages).
#pragma once

#include <srs_core.hpp>

#include <utility>
#include <vector>

template <typename T>
class SrsRing {
public:
    // With 0, nothing is allocated until the first push.
    explicit SrsRing(int initial_capacity = 16) {
        if (initial_capacity > 0) {
            int cap = 1;
            while (cap < initial_capacity) {
                cap <<= 1;
            }
            slots_.resize(cap);
        }
    }
    SrsRing(SrsRing&&) = default;
    SrsRing& operator=(SrsRing&&) = default;
    SRS_DISALLOW_COPY(SrsRing);

public:
    int size() const { return size_; }
    bool empty() const { return size_ == 0; }
    int capacity() const { return (int)slots_.size(); }

    // The i-th element from the front.
    T& at(int i) { return slots_[(head_ + i) & mask()]; }
    const T& at(int i) const { return slots_[(head_ + i) & mask()]; }
    T& front() { return at(0); }
    T& back() { return at(size_ - 1); }
    const T& front() const { return at(0); }
    const T& back() const { return at(size_ - 1); }

    void push_back(T v) {
        if (size_ == capacity()) {
            grow();
        }
        slots_[(head_ + size_) & mask()] = std::move(v);
        size_++;
    }

    void push_front(T v) {
        if (size_ == capacity()) {
            grow();
        }
        head_ = (head_ - 1) & mask();
        slots_[head_] = std::move(v);
        size_++;
    }

    // Moves the front out; the slot is reset so it holds no reference.
    T pop_front() {
        T v = std::move(slots_[head_]);
        slots_[head_] = T();
        head_ = (head_ + 1) & mask();
        size_--;
        return v;
    }

    // Drops n elements from the front.
    void drop_front(int n) {
        for (int i = 0; i < n && size_ > 0; i++) {
            slots_[head_] = T();
            head_ = (head_ + 1) & mask();
            size_--;
        }
    }

    void clear() { drop_front(size_); }

    // Gives memory back when a burst is over: down to the smallest power of two holding
    // the elements, not below min_capacity. An empty ring shrunk to 0 holds no memory.
    void shrink_to(int min_capacity) {
        if (size_ == 0 && min_capacity <= 0) {
            std::vector<T>().swap(slots_);
            head_ = 0;
            return;
        }
        int cap = 1;
        while (cap < size_ || cap < min_capacity) {
            cap <<= 1;
        }
        if (cap >= capacity()) {
            return;
        }
        relayout(cap);
    }

private:
    int mask() const { return (int)slots_.size() - 1; }

    void grow() { relayout(capacity() > 0 ? capacity() * 2 : 16); }

    void relayout(int cap) {
        std::vector<T> next(cap);
        for (int i = 0; i < size_; i++) {
            next[i] = std::move(at(i));
        }
        slots_.swap(next);
        head_ = 0;
    }

    std::vector<T> slots_;
    int head_ = 0;
    int size_ = 0;
};
