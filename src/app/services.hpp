// Every application service, built once by the composition root over one store and clock.
// Handlers and commands receive a `Services&`; nothing here owns the store or the clock.
#pragma once

#include "app/analytics.hpp"
#include "app/assign.hpp"
#include "app/attribution.hpp"
#include "app/auth.hpp"
#include "app/compliance.hpp"
#include "app/contacts.hpp"
#include "app/contracts.hpp"
#include "app/directory.hpp"
#include "app/feedback.hpp"
#include "app/forms.hpp"
#include "app/goals.hpp"
#include "app/handoff.hpp"
#include "app/import_jobs.hpp"
#include "app/ingest.hpp"
#include "app/merge.hpp"
#include "app/notifications.hpp"
#include "app/outbox.hpp"
#include "app/passwords.hpp"
#include "app/pay.hpp"
#include "app/records.hpp"
#include "app/scoring.hpp"
#include "app/views.hpp"
#include "app/webhooks.hpp"
#include "app/weekly_report.hpp"

namespace tandem::app {

struct Services {
  Services(store::Store& store, const base::Clock& clock, PasswordSettings passwords = {},
           AuthSettings auth_settings = {})
      : store(store),
        clock(clock),
        hasher(passwords),
        contacts(store, clock),
        companies(store, clock),
        deals(store, clock),
        activities(store, clock),
        users(store, clock, hasher, [this] { auth.ForgetCredentials(); }),
        teams(store, clock),
        audit(store),
        auth(store, clock, hasher, auth_settings),
        ingest(store, clock),
        merge(store, clock),
        contracts(store, clock),
        scoring(store, clock),
        personas(store, clock),
        imports(store, clock),
        analytics(store, clock),
        goals(store, clock),
        handoff(store, clock),
        compliance(store, clock),
        forms(store, clock, ingest),
        webhooks(store, clock, resolver),
        notifications(store, clock),
        dispatcher(store, clock),
        feedback(store, clock),
        attribution(store, clock),
        pay(store, clock, contracts, compliance),
        weekly(store, clock, analytics, compliance, feedback, attribution),
        views(store, clock),
        assign(store, clock, handoff) {
    contacts.SetObserver(&scoring);
    companies.SetObserver(&scoring);
    ingest.SetSink(&scoring);
    merge.SetSink(&scoring);
    contacts.SetHandoff(&handoff);
    scoring.SetHandoff(&handoff);
    activities.SetHandoff(&handoff);
    deals.SetHandoff(&handoff);
    handoff.SetNotifier(&handoff_announcer);
    handoff_announcer.SetDispatcher(&dispatcher);
    forms.SetObserver(&scoring);
  }

  store::Store& store;
  const base::Clock& clock;
  PasswordHasher hasher;
  ContactService contacts;
  CompanyService companies;
  DealService deals;
  ActivityService activities;
  UserService users;
  TeamService teams;
  AuditService audit;
  AuthService auth;
  EventIngest ingest;  // owns the group-commit writer thread
  ContactMergeService merge;
  ContractService contracts;
  ScoringService scoring;
  PersonaService personas;
  ImportJobService imports;
  AnalyticsService analytics;
  GoalService goals;
  HandoffService handoff;
  ComplianceService compliance;
  FormService forms;  // web capture: forms, tracker sites, public posts
  // Notifications (docs/notifications.md); the composition root sets their settings.
  SystemHostResolver resolver;
  WebhookService webhooks;
  NotificationService notifications;
  NotificationDispatcher dispatcher;
  OutboxHandoffNotifier handoff_announcer;  // the handoff's lead.* and sla.* messages
  FeedbackService feedback;
  AttributionService attribution;
  PayService pay;              // shared pay from the contract's compensation terms
  WeeklyReportService weekly;  // the weekly smarketing pack
  SavedViewService views;      // the dashboard's saved list views
  AssignService assign;        // bulk assignment of contacts, through the handoff
};

}  // namespace tandem::app
