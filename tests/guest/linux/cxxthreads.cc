// C++ threads over glibc's pthreads: std::thread with std::mutex and
// lock_guard, condition_variable, std::async (async and deferred) with
// futures and exceptions carried across threads, promise, shared_mutex,
// std::atomic, call_once, and thread_local objects with constructors and
// destructors. Output comes after the joins, in an order the program fixes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <queue>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static std::atomic<int> tl_constructed{0}, tl_destroyed{0};

struct Tracker {
  int value = 7;
  Tracker() { tl_constructed++; }
  ~Tracker() { tl_destroyed++; }
};

thread_local Tracker tracker;
thread_local int tl_plain = 1;

static void counters() {
  std::mutex m;
  long total = 0;
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; t++) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < 10000; i++) {
        std::lock_guard<std::mutex> guard(m);
        total += t + 1;
      }
      tracker.value += t;
      tl_plain *= 3;
    });
  }
  for (auto &th : pool) th.join();
  std::printf("lock_guard total: %ld (expected %d)\n", total, 10000 * (1 + 2 + 3 + 4));
  std::printf("thread_local: main's tracker %d, tl_plain %d; constructed %d, destroyed %d\n", tracker.value, tl_plain,
              tl_constructed.load(), tl_destroyed.load());
}

static void queue_workers() {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> jobs;
  bool closed = false;
  std::map<int, long> results;
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; w++) {
    workers.emplace_back([&] {
      for (;;) {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return closed || !jobs.empty(); });
        if (jobs.empty()) return;
        int job = jobs.front();
        jobs.pop();
        lock.unlock();
        long r = 0;
        for (int i = 1; i <= job; i++) r += (long)i * i;
        lock.lock();
        results[job] = r;
      }
    });
  }
  for (int j = 1; j <= 60; j++) {
    {
      std::lock_guard<std::mutex> lock(m);
      jobs.push(j * 10);
    }
    cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(m);
    closed = true;
  }
  cv.notify_all();
  for (auto &w : workers) w.join();
  long check = 0;
  for (auto &[job, r] : results) check = (check * 31 + r) % 1000000007;
  std::printf("condition_variable queue: %zu results, checksum %ld\n", results.size(), check);
}

static long slow_sum(long from, long to) {
  long s = 0;
  for (long i = from; i < to; i++) s += i % 7;
  return s;
}

static void futures() {
  std::vector<std::future<long>> parts;
  for (long p = 0; p < 4; p++) parts.push_back(std::async(std::launch::async, slow_sum, p * 50000, (p + 1) * 50000));
  auto deferred = std::async(std::launch::deferred, slow_sum, 0, 1000);
  long total = 0;
  for (auto &f : parts) total += f.get();
  std::printf("async parts: %ld, deferred: %ld\n", total, deferred.get());

  auto failing = std::async(std::launch::async, [] () -> int { throw std::runtime_error("from another thread"); });
  try {
    failing.get();
  } catch (const std::exception &e) {
    std::printf("exception through a future: %s\n", e.what());
  }

  std::promise<std::string> promise;
  auto fut = promise.get_future();
  std::thread setter([&promise] {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    promise.set_value("kept");
  });
  std::printf("promise: %s\n", fut.get().c_str());
  setter.join();

  std::packaged_task<int(int)> task([](int x) { return x * x; });
  auto result = task.get_future();
  std::thread runner(std::move(task), 12);
  runner.join();
  std::printf("packaged_task: %d\n", result.get());

  auto waiting = std::async(std::launch::async, [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    return 1;
  });
  auto status = waiting.wait_for(std::chrono::milliseconds(1));
  std::printf("wait_for before it is ready: %s\n", status == std::future_status::timeout ? "timeout" : "ready");
  std::printf("then: %d\n", waiting.get());
}

static void shared_and_atomic() {
  std::shared_mutex sm;
  std::vector<int> data(100, 1);
  std::atomic<long> reads{0}, bad{0};
  std::vector<std::thread> ts;
  for (int r = 0; r < 3; r++) {
    ts.emplace_back([&] {
      for (int i = 0; i < 500; i++) {
        std::shared_lock<std::shared_mutex> lock(sm);
        int first = data.front();
        if (!std::all_of(data.begin(), data.end(), [&](int v) { return v == first; })) bad++;
        reads++;
      }
    });
  }
  ts.emplace_back([&] {
    for (int i = 0; i < 200; i++) {
      std::unique_lock<std::shared_mutex> lock(sm);
      for (auto &v : data) v++;
    }
  });
  for (auto &t : ts) t.join();
  std::printf("shared_mutex: %ld reads, %ld inconsistent, final value %d\n", reads.load(), bad.load(), data[0]);

  std::atomic<unsigned> bits{0};
  std::once_flag once;
  std::atomic<int> once_calls{0};
  std::vector<std::thread> setters;
  for (unsigned i = 0; i < 8; i++) {
    setters.emplace_back([&, i] {
      std::call_once(once, [&] { once_calls++; });
      bits.fetch_or(1u << i);
      std::this_thread::yield();
    });
  }
  for (auto &t : setters) t.join();
  std::printf("atomic bits %#x, call_once calls %d\n", bits.load(), once_calls.load());
  std::thread other([] {});
  std::printf("ids differ from main: %s\n", other.get_id() == std::this_thread::get_id() ? "no" : "yes");
  other.join();
}

int main() {
  counters();
  queue_workers();
  futures();
  shared_and_atomic();
  std::thread last([] { std::printf("last thread's tracker %d\n", tracker.value); });
  last.join();
  std::printf("thread_local objects: constructed %d, destroyed %d\n", tl_constructed.load(), tl_destroyed.load());
  return 0;
}
