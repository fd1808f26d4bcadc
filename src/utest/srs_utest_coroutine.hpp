// A function run in its own coroutine, for tests where one side produces while another waits.
#pragma once

#include <srs_core_st.hpp>

#include <functional>

namespace srs_utest {

// Runs fn once in a coroutine started by start(); joined when destroyed.
class FnCoroutine : public ISrsCoroutineHandler {
public:
    explicit FnCoroutine(std::function<void()> fn) : fn_(std::move(fn)), trd_("utest", this) {}
    srs_error_t start() { return trd_.start(); }
    srs_error_t cycle() override {
        fn_();
        return srs_success;
    }

private:
    std::function<void()> fn_;
    SrsCoroutine trd_;
};

}  // namespace srs_utest
