from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from factdesk.accounts.roles import role_required


@role_required()
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/board.html", {"columns": []})
