# candor_warnings(target): the project's warning flags, errors when CANDOR_WERROR is on.
add_library(candor_warnings INTERFACE)
target_compile_options(candor_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<BOOL:${CANDOR_WERROR}>:-Werror>)
if(CANDOR_SANITIZE)
  target_compile_options(candor_warnings INTERFACE -fsanitize=address,undefined
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(candor_warnings INTERFACE -fsanitize=address,undefined)
endif()
