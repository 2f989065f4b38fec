// A failure travelling from validation or a solver to the ABI boundary, and the thread-local last error.
#pragma once

#include <cstdint>
#include <string>

#include "ttc/ttc.h"

namespace ttc::cpu {

struct Failure {
    ttc_status status = TTC_STATUS_OK;
    std::string message;
    std::int64_t batch_index = -1;

    bool failed() const { return status != TTC_STATUS_OK; }
};

inline Failure fail(ttc_status status, std::string message, std::int64_t batch_index = -1) {
    return Failure{status, std::move(message), batch_index};
}

// Records f in the calling thread's last-error slot and returns its status.
ttc_status publish(const Failure& f);

// The calling thread's last published failure (each library that links this file has its own slot).
const char* last_error_message();
std::int64_t last_error_batch_index();

}  // namespace ttc::cpu
