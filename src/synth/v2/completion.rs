//! Completions of courses generated before, with times in order and a fitting status.

use super::*;

impl Generator {
    /// A learner's completion of a course generated before (or, before any, of one made up
    /// for it), with times in order and a status that fits the other fields.
    pub fn completion(&mut self) -> Completion {
        // Without courses of the stream, make some up: one for about fifty learners.
        let make_up = self.courses.items.is_empty() || (self.made_up && self.rng.percent(2));
        let course = match self.courses.pick(&mut self.rng) {
            Some(c) if !make_up => c.clone(),
            _ => {
                let core = self.course_core();
                self.courses.push(core.clone());
                self.made_up = true;
                core
            }
        };
        let (learner, name) = self.learner();
        let status = self.rng.weighted(&[
            (CompletionStatus::Completed, 68),
            (CompletionStatus::InProgress, 10),
            (CompletionStatus::Enrolled, 5),
            (CompletionStatus::Failed, 7),
            (CompletionStatus::Withdrawn, 10),
        ]);
        let enrol_day = self.rng.between(course.enrol_from, course.enrol_until);
        let enrolled = enrol_day * DAY + self.rng.between(8 * HOUR, 22 * HOUR - 1);
        let start_day = enrol_day + self.rng.between(1, 14);
        let started = start_day * DAY
            + self
                .rng
                .weighted(&[(8 * HOUR + 1800, 3), (9 * HOUR, 5), (13 * HOUR + 1800, 2)])
            + self.rng.between(0, 300);
        // At most six class hours a day, plus some slack.
        let study_days = (course.halves + 11) / 12 + self.rng.between(0, 10);
        let end_day = start_day + study_days;
        let completed = end_day * DAY + self.rng.between(16 * HOUR, 18 * HOUR + 1800);

        let has_started = match status {
            CompletionStatus::Enrolled => false,
            CompletionStatus::Withdrawn => self.rng.percent(80),
            _ => true,
        };
        let finished = matches!(
            status,
            CompletionStatus::Completed | CompletionStatus::Failed
        );
        let earned = match status {
            CompletionStatus::Completed | CompletionStatus::Failed => course.halves,
            CompletionStatus::InProgress => self.rng.between(1, course.halves - 1),
            CompletionStatus::Withdrawn if has_started => self.rng.between(0, course.halves / 2),
            CompletionStatus::Withdrawn | CompletionStatus::Enrolled => 0,
        };

        let id = self.record_id();
        let mut c = Completion::new(
            id.clone(),
            learner.clone(),
            CourseRef::new(course.id.clone()),
            self.tables.providers[course.provider].org.clone(),
            status,
            timestamp(enrolled),
            halves(earned),
        );
        if self.rng.percent(60) {
            c.course.code = Some(course.code.clone());
        }
        if self.rng.percent(40) {
            c.course.title = Some(course.title.clone());
        }
        if self.rng.percent(85) {
            c.training_type = Some(course.training_type);
            c.delivery_mode = Some(course.delivery_mode);
        }
        if has_started {
            c.started_at = Some(timestamp(started));
        }
        if finished {
            c.completed_at = Some(timestamp(completed));
        }

        let online_share = match course.delivery_mode {
            DeliveryMode::Online if self.rng.percent(95) => Some(100),
            DeliveryMode::Blended if self.rng.percent(75) => Some(self.rng.between(30, 60)),
            _ => None,
        };
        if let (true, Some(share)) = (has_started, online_share) {
            // 45 minutes a class hour; `earned` counts half hours.
            let minutes = earned * 45 / 2 * share / 100 + self.rng.between(0, 30);
            let total = minutes / 45 + self.rng.between(1, 3);
            let failed_checks = if self.rng.percent(85) {
                0
            } else {
                self.rng.between(1, 2).min(total)
            };
            c.online_learning = Some(OnlineLearning::new(
                count(minutes),
                FaceChecks {
                    passed: count(total - failed_checks),
                    total: count(total),
                },
            ));
        }

        let assessed = match status {
            CompletionStatus::Completed => self.rng.percent(85),
            CompletionStatus::Failed => true,
            _ => false,
        };
        if assessed {
            let online = course.delivery_mode == DeliveryMode::Online;
            let method = if online {
                self.rng.weighted(&[
                    (AssessmentMethod::OnlineExam, 60),
                    (AssessmentMethod::Written, 40),
                ])
            } else {
                self.rng.weighted(&[
                    (AssessmentMethod::Written, 45),
                    (AssessmentMethod::Practical, 40),
                    (AssessmentMethod::Oral, 5),
                    (AssessmentMethod::OnlineExam, 10),
                ])
            };
            let max = if self.rng.percent(90) { 100 } else { 150 };
            let pass = max * 3 / 5;
            let passed = status == CompletionStatus::Completed;
            let score = if passed {
                if self.rng.percent(80) {
                    self.rng.between(pass, max) * 2
                } else {
                    self.rng.between(pass * 2, max * 2)
                }
            } else {
                self.rng.between(max * 2 / 5, pass * 2 - 1)
            };
            let at = completed - self.rng.between(30 * 60, 180 * 60);
            let mut assessment = Assessment {
                method,
                score: halves(score),
                max_score: halves(max * 2),
                pass_score: None,
                passed,
                assessed_at: timestamp(at),
            };
            if self.rng.percent(85) {
                assessment.pass_score = Some(halves(pass * 2));
            }
            c.assessment = Some(assessment);
        }
        if status == CompletionStatus::Completed {
            c.credits_earned = course.credits.map(halves);
            self.completions.push(CompletionCore {
                id,
                learner,
                name,
                track: course.track,
                provider: course.provider,
                day: end_day,
            });
        }
        c
    }
}
