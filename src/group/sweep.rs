//! The (configuration × program) runner behind `glassbox sweep`.
