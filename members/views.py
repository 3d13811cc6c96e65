from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.forms import ProfileForm
from members.loyalty.ledger import miles_balance
from members.loyalty.tiers import tier_status


@login_required
def account(request):
    member = request.user
    notices = list(member.notifications.filter(read_at__isnull=True)[:5])
    return render(request, "members/account.html",
                  {"member": member, "status": tier_status(member), "miles": miles_balance(member), "notices": notices})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form}, status=400 if form.errors else 200)
