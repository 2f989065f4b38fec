#include "thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ttc::cpu {
namespace {

class Pool {
public:
    explicit Pool(int threads) : threads_(threads) {
        for (int w = 1; w < threads_; ++w) workers_.emplace_back([this] { worker_loop(); });
    }

    ~Pool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : workers_) t.join();
    }

    int threads() const { return threads_; }

    // Called with run_mutex_ held by the caller.
    void run(std::int64_t units, const std::function<void(std::int64_t, std::int64_t)>& body) {
        const std::int64_t chunks_wanted = static_cast<std::int64_t>(threads_) * 4;
        chunk_ = std::max<std::int64_t>(1, units / chunks_wanted);
        units_ = units;
        next_.store(0);
        body_ = &body;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            active_ = threads_ - 1;
            ++generation_;
        }
        wake_.notify_all();
        drain();
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return active_ == 0; });
        body_ = nullptr;
    }

    std::mutex run_mutex;

private:
    void drain() {
        for (;;) {
            const std::int64_t begin = next_.fetch_add(chunk_);
            if (begin >= units_) return;
            (*body_)(begin, std::min(units_, begin + chunk_));
        }
    }

    void worker_loop() {
        std::uint64_t seen = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
                if (stopping_) return;
                seen = generation_;
            }
            drain();
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (--active_ == 0) done_.notify_all();
            }
        }
    }

    int threads_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    bool stopping_ = false;
    std::uint64_t generation_ = 0;
    int active_ = 0;
    std::atomic<std::int64_t> next_{0};
    std::int64_t units_ = 0, chunk_ = 1;
    const std::function<void(std::int64_t, std::int64_t)>* body_ = nullptr;
};

std::mutex config_mutex;
int configured_threads = 0;  // 0: hardware concurrency
// The pool in use, never destroyed: a static destructor would join the workers at process exit, and on Windows
// (DLL_PROCESS_DETACH, where the workers may already be gone) that join hung (seen with MinGW-w64 under Wine). The
// system reclaims the threads at exit; a pool replaced at run time (ttc_set_num_threads) is still joined.
std::shared_ptr<Pool>& pool = *new std::shared_ptr<Pool>();

int resolved_threads() {
    if (configured_threads > 0) return configured_threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

std::shared_ptr<Pool> current_pool() {
    std::lock_guard<std::mutex> lock(config_mutex);
    const int wanted = resolved_threads();
    if (!pool || pool->threads() != wanted) pool = std::make_shared<Pool>(wanted);
    return pool;
}

}  // namespace

void parallel_for(std::int64_t units, const std::function<void(std::int64_t, std::int64_t)>& body) {
    if (units <= 0) return;
    std::shared_ptr<Pool> p = current_pool();
    if (p->threads() > 1 && units > 1) {
        std::unique_lock<std::mutex> lock(p->run_mutex, std::try_to_lock);
        if (lock.owns_lock()) {
            p->run(units, body);
            return;
        }
    }
    body(0, units);
}

void set_thread_count(int threads) {
    std::lock_guard<std::mutex> lock(config_mutex);
    configured_threads = threads;
}

int thread_count() {
    std::lock_guard<std::mutex> lock(config_mutex);
    return resolved_threads();
}

}  // namespace ttc::cpu
