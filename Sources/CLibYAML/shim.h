// Why this exists: SwiftPM needs a header to build a module map around libyaml.
// libyaml's API has no variadic functions or function-like macros, so nothing is
// wrapped here; only Loading/LibYAML/YAMLParser.swift imports this module.
// Delete when: never, while libyaml is the parser.
#ifndef CHATCTL_CLIBYAML_SHIM_H
#define CHATCTL_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
