//! Inspection views (to come).
